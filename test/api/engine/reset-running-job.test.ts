import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, createJob, expectJson, jobBody, pollJob, seedFleet } from '../../helpers/engine-fleet.js';
import { buildDist, startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';

const processes: EmulatorProcess[] = [];
const dataDirs: string[] = [];
afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => p.kill9()));
  await Promise.all(dataDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('POST /_fleetlab/reset while a job runs', () => {
  beforeAll(() => buildDist(), 300_000);

  it('waits for the job’s checkpoint writes, leaves no job folder behind, and the emulator keeps serving', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-reset-'));
    dataDirs.push(dataDir);
    const emulator = await startEmulatorProcess(dataDir);
    processes.push(emulator);
    await seedFleet(emulator.call, { count: 200_000, prefix: 'busy', timeScale: 10, behavior: { latencyMs: { min: 1_000, max: 3_000 } } });
    await createJob(emulator.call, 'busy-job', jobBody('busy', { batch: { type: 'number', value: 20_000 } }));
    await pollJob(emulator.call, 'busy-job', (job) => job.progress !== undefined && job.progress.completed + job.progress.failed >= 20_000, { intervalMs: 10 });

    expect((await emulator.call('POST', '/_fleetlab/reset')).status).toBe(204);
    expect(await readdir(path.join(dataDir, 'jobs')).catch(() => [])).toEqual([]);
    expect(await expectJson(await emulator.call('GET', api('/api/jobs')), 200)).toEqual({ value: [] });
    await seedFleet(emulator.call, { count: 10, prefix: 'after', timeScale: 0 });
    await createJob(emulator.call, 'after-reset', jobBody('after'));
    const { job } = await pollJob(emulator.call, 'after-reset');
    expect(job.status).toBe('complete');
    expect(emulator.child.exitCode).toBeNull();
    expect(emulator.stderr()).not.toMatch(/ENOENT|Unhandled|unhandled/);
  });
});
