import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, seedFleet } from '../../helpers/engine-fleet.js';
import { startHost } from '../../../electron/host.js';
import { DataFileError } from '../../../electron/store/json-document.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';

/** A tiny tmpfs as the data dir, so the test can fill it and make it read-only; needs root (mount). */
async function mountTinyDisk(): Promise<string | undefined> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fleetlab-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir], { stdio: 'pipe' });
    return dir;
  } catch (error) {
    console.log(`disk-trouble tests skipped: mounting a tmpfs was refused (${(error as Error).message.split('\n')[0]})`);
    await rm(dir, { recursive: true, force: true });
    return undefined;
  }
}

const disk = await mountTinyDisk();
const filler = disk && path.join(disk, 'filler.bin');

/** Takes the rest of the disk, leaving nothing for the emulator. */
async function fillDisk(): Promise<void> {
  try {
    await writeFile(filler!, Buffer.alloc(8 * 1024 * 1024));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
}

const device = (id: string) => ({ displayName: `Device ${id}`, template: 'dtmi:fleetlab:engineTest;1', simulated: true, enabled: true });

describe.skipIf(!disk)('a data dir that runs full', () => {
  let host: TestHost;
  const acknowledged: string[] = [];
  const refused: string[] = [];

  beforeAll(async () => {
    host = await startTestHost({ dataDir: disk! });
    await seedFleet(host.call, { count: 1_000, prefix: 'field', timeScale: 0 });
  });

  afterAll(async () => {
    await host?.stop().catch(() => undefined);
    if (disk) {
      execFileSync('umount', [disk]);
      await rm(disk, { recursive: true, force: true });
    }
  });

  const put = (id: string) => host.call('PUT', api(`/api/devices/${id}`), device(id));

  it('answers 507 in the IoT Central shape when the disk is full, applies nothing, and keeps serving reads', async () => {
    for (const id of ['before-1', 'before-2']) {
      expect((await put(id)).status).toBe(200);
      acknowledged.push(id);
    }
    await fillDisk();
    // The journal's last page may still have room for a few small writes; they are acknowledged, and kept.
    let refusedWrite: Response | undefined;
    for (let i = 0; i < 100 && !refusedWrite; i++) {
      const res = await put(`d${i}`);
      if (res.status === 200) acknowledged.push(`d${i}`);
      else refusedWrite = res;
      refused.push(...(res.status === 200 ? [] : [`d${i}`]));
    }
    expect(refusedWrite?.status).toBe(507);
    expect(refusedWrite!.headers.get('x-ms-error-code')).toBe('InsufficientStorage');
    expect(((await refusedWrite!.json()) as { error: { message: string } }).error.message).toMatch(/full/);

    expect((await host.call('GET', api(`/api/devices/${refused[0]}`))).status).toBe(404);
    expect((await host.call('GET', api('/api/devices/before-1'))).status).toBe(200);
    expect((await host.call('GET', api('/api/devices?maxpagesize=5'))).status).toBe(200);
    const job = await host.call('PUT', api('/api/jobs/on-full-disk'), {
      displayName: 'on a full disk',
      group: 'field',
      data: [{ type: 'property', target: 'dtmi:fleetlab:engineTest;1', path: 'targetTemperature', value: 20 }],
    });
    expect(job.status).toBe(507);
    expect((await host.call('GET', api('/api/jobs/on-full-disk'))).status).toBe(404);
  });

  it('takes writes again once there is space', async () => {
    await rm(filler!);
    expect((await put('after-space')).status).toBe(200);
    acknowledged.push('after-space');
  });

  it('finds every acknowledged write after a restart, and none that was refused', async () => {
    await host.stop();
    const notices: string[] = [];
    host = await startTestHost({ dataDir: disk!, onNotice: (message) => notices.push(message) });
    expect(notices).toEqual([]);
    expect(refused.length).toBeGreaterThan(0);
    for (const id of acknowledged) expect((await host.call('GET', api(`/api/devices/${id}`))).status, id).toBe(200);
    for (const id of refused) expect((await host.call('GET', api(`/api/devices/${id}`))).status, id).toBe(404);
  });

  it('refuses to start on a full disk with one line naming the data dir, and starts once there is space', async () => {
    await host.stop();
    await fillDisk();
    const refused = await startHost({ dataDir: disk!, port: 0, onNotice: () => undefined }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(DataFileError);
    expect((refused as Error).message).toMatch(new RegExp(`^data dir "${disk}" cannot be written: .*full`));
    expect((refused as Error).message).not.toContain('\n');
    await rm(filler!);
    host = await startTestHost({ dataDir: disk! });
    expect((await host.call('GET', api(`/api/devices/${acknowledged[0]}`))).status).toBe(200);
  });
});
