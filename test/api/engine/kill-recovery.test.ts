import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  countByStatus,
  createJob,
  expectJson,
  expectStartNotAfterEnd,
  getJob,
  jobBody,
  jobDevices,
  pollJob,
  seedFleet,
  api,
} from '../../helpers/engine-fleet.js';
import { buildDist, startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';

const DEVICES = 20_000;
const BATCH_SIZE = 2_000;

const processes: EmulatorProcess[] = [];
const dataDirs: string[] = [];
afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => p.kill9()));
  await Promise.all(dataDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function freshDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fleetlab-kill-'));
  dataDirs.push(dir);
  return dir;
}

async function start(dataDir: string): Promise<EmulatorProcess> {
  const emulator = await startEmulatorProcess(dataDir);
  processes.push(emulator);
  return emulator;
}

describe('the emulator process killed with SIGKILL', () => {
  beforeAll(() => buildDist(), 300_000);

  it('continues a running job after a restart on the same data dir, every device ending with one terminal status', async () => {
    const dataDir = await freshDataDir();
    const first = await start(dataDir);
    // Ten batches of a few hundred real ms each (timeScale 10), so the kill lands mid-job.
    await seedFleet(first.call, {
      count: DEVICES,
      prefix: 'field',
      seed: 21,
      timeScale: 10,
      behavior: { propertyFailureRate: 0.1, latencyMs: { min: 1_000, max: 4_000 } },
    });
    await seedFleet(first.call, { count: 10, prefix: 'late', timeScale: 10 });
    await createJob(first.call, 'rollout', jobBody('field', { batch: { type: 'number', value: BATCH_SIZE } }));
    await pollJob(first.call, 'rollout', (job) => job.progress !== undefined && job.progress.completed + job.progress.failed >= 3 * BATCH_SIZE, {
      intervalMs: 10,
    });
    const beforeKill = await jobDevices(first.call, 'rollout');
    await createJob(first.call, 'late-job', jobBody('late'));
    await first.kill9();
    expect(first.child.signalCode).toBe('SIGKILL');
    const seenBefore = beforeKill.filter((d) => d.status !== 'pending');
    expect(seenBefore.length).toBeGreaterThanOrEqual(3 * BATCH_SIZE);
    expect(seenBefore.length).toBeLessThan(DEVICES);

    const second = await start(dataDir);
    const resumed = await getJob(second.call, 'rollout');
    expect(resumed.status).toBe('running');
    // It continues from its last checkpoint rather than from the start, and it was cut off mid-job.
    expect(resumed.progress!.completed + resumed.progress!.failed).toBeGreaterThanOrEqual(BATCH_SIZE);
    expect(resumed.progress!.pending).toBeGreaterThan(0);
    expect((await getJob(second.call, 'late-job')).status).toMatch(/^(pending|running|complete)$/);

    const { job } = await pollJob(second.call, 'rollout', undefined, { timeoutMs: 30_000 });
    expect(job.status).toBe('complete');
    expectStartNotAfterEnd(job);
    const after = await jobDevices(second.call, 'rollout');
    expect(after).toHaveLength(DEVICES);
    expect(new Set(after.map((d) => d.id)).size).toBe(DEVICES);
    const counts = countByStatus(after);
    expect(counts.pending).toBe(0);
    expect(job.progress).toEqual({ total: DEVICES, ...counts });
    expect(counts.failed).toBeGreaterThan(DEVICES * 0.05);

    // Devices answered before the kill keep their status (those past the last checkpoint are retried, with the same seeded outcome).
    const statusAfter = new Map(after.map((d) => [d.id, d.status]));
    const changed = seenBefore.filter((d) => statusAfter.get(d.id) !== d.status);
    expect(changed).toEqual([]);

    const { job: late } = await pollJob(second.call, 'late-job');
    expect(late).toMatchObject({ status: 'complete', progress: { total: 10, pending: 0, completed: 10, failed: 0 } });
    await second.stop();
  });

  it('moves a corrupt fleetlab.json aside with a clear message and starts empty', async () => {
    const dataDir = await freshDataDir();
    const seeded = await start(dataDir);
    await seedFleet(seeded.call, { count: 5, prefix: 'gone', timeScale: 0 });
    await seeded.stop();
    const corrupt = '{"schemaVersion": 1, "jobs": {"half-writ';
    await writeFile(path.join(dataDir, 'fleetlab.json'), corrupt);

    const emulator = await start(dataDir);
    const aside = (await readdir(dataDir)).filter((name) => /^fleetlab\.json\.corrupt-.+/.test(name));
    expect(aside).toHaveLength(1);
    expect(await readFile(path.join(dataDir, aside[0]!), 'utf8')).toBe(corrupt);
    expect(emulator.stderr()).toContain('could not be read');
    expect(emulator.stderr()).toContain(aside[0]);

    expect(await expectJson(await emulator.call('GET', '/_fleetlab/fleet'), 200)).toMatchObject({ total: 0 });
    expect(await expectJson(await emulator.call('GET', api('/api/jobs')), 200)).toEqual({ value: [] });
    expect((await emulator.call('GET', api('/api/devices/gone-1'))).status).toBe(404);
    expect((await readdir(dataDir)).filter((name) => name.startsWith('fleetlab.json.corrupt-'))).toEqual(aside);
  });
});

describe('the emulator process killed with SIGKILL during concurrent writes', () => {
  beforeAll(() => buildDist(), 300_000);

  it('keeps every acknowledged write, and no unacknowledged one is half there', async () => {
    const dataDir = await freshDataDir();
    const first = await start(dataDir);
    await seedFleet(first.call, { count: 10, prefix: 'seed', timeScale: 0 });
    const acknowledged = new Map<string, string>();
    const sent = new Map<string, string>();
    let stop = false;
    const writer = async (lane: number) => {
      for (let n = 0; !stop; n++) {
        const id = `w${lane}-${n}`;
        const displayName = `Lane ${lane} device ${n} ${'x'.repeat(n % 200)}`;
        sent.set(id, displayName);
        try {
          const res = await first.call('PUT', api(`/api/devices/${id}`), { displayName, template: 'dtmi:fleetlab:engineTest;1', simulated: true });
          if (res.status === 200) acknowledged.set(id, displayName);
          await res.body?.cancel();
        } catch {
          return; // the process is gone
        }
      }
    };
    const lanes = Array.from({ length: 8 }, (_, lane) => writer(lane));
    const killAfter = 300 + Math.floor(Math.random() * 700);
    await expect.poll(() => acknowledged.size, { timeout: 10_000, interval: 1 }).toBeGreaterThanOrEqual(killAfter);
    await first.kill9();
    stop = true;
    await Promise.all(lanes);
    expect(acknowledged.size).toBeGreaterThanOrEqual(killAfter);

    const second = await start(dataDir);
    for (const [id, displayName] of acknowledged) {
      const device = await expectJson<{ displayName: string }>(await second.call('GET', api(`/api/devices/${id}`)), 200);
      expect(device.displayName, id).toBe(displayName);
    }
    for (const [id, displayName] of sent) {
      if (acknowledged.has(id)) continue;
      const res = await second.call('GET', api(`/api/devices/${id}`));
      if (res.status === 200) expect(((await res.json()) as { displayName: string }).displayName).toBe(displayName);
      else expect(res.status).toBe(404);
    }
    expect(second.stderr()).not.toMatch(/corrupt/);
    await second.stop();
  });
});
