import { mkdir, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceSlice } from '../../electron/domain/fleet-executor.js';
import { BLOCK_DEVICES } from '../../electron/store/block-file.js';
import { FsJobDeviceFiles } from '../../electron/store/fs-job-files.js';
import { CorruptJobFileError } from '../../electron/store/job-files.js';
import { gatedOpener, instrumentedOpener, tornWriteOpener } from '../helpers/job-file-opener.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fleetlab-job-files-'));
  dirs.push(dir);
  return dir;
}

const range = (count: number): DeviceSlice[] => [{ prefix: 'd', first: 1, count }];

/** Status and times of `devices` devices where the devices in `done` completed at tick 7. */
function progress(devices: number, done: Iterable<number>) {
  const status = new Uint8Array(devices);
  const times = new Uint32Array(devices * 2);
  for (const p of done) {
    status[p] = 1;
    times[2 * p] = 3;
    times[2 * p + 1] = 7;
  }
  return { status, times };
}

describe('per-job device files', () => {
  it('read back what checkpoints wrote, block by block, across a restart', async () => {
    const dir = await dataDir();
    const files = new FsJobDeviceFiles<DeviceSlice[]>(dir);
    await files.create('job', range(5000), 5000);
    const first = progress(5000, [0, 1, 4999]);
    await files.writeChanges('job', { devices: 5000, ...first, blocks: [0, 4] });
    const later = progress(5000, [0, 1, 2000, 4999]);
    await files.writeChanges('job', { devices: 5000, ...later, blocks: [1] });

    const reopened = new FsJobDeviceFiles<DeviceSlice[]>(dir);
    expect(await reopened.readTargets('job')).toEqual(range(5000));
    expect(await reopened.readStatus('job')).toEqual(later.status);
    expect(await reopened.readTimes('job')).toEqual(later.times);
  });

  it('grows with a continuous job: devices added later read as pending', async () => {
    const dir = await dataDir();
    const files = new FsJobDeviceFiles<DeviceSlice[]>(dir);
    await files.create('grows', range(10), 10);
    const grown = progress(3000, [9, 2999]);
    await files.writeChanges('grows', { devices: 3000, ...grown, blocks: [0, 2] });
    expect(await new FsJobDeviceFiles<DeviceSlice[]>(dir).readStatus('grows')).toEqual(grown.status);
  });

  it('keeps the previous copy of a block whose write a crash tore, and writes the next checkpoint over the torn copy', async () => {
    const dir = await dataDir();
    const files = new FsJobDeviceFiles<DeviceSlice[]>(dir);
    await files.create('torn', range(2000), 2000);
    const before = progress(2000, [5]);
    await files.writeChanges('torn', { devices: 2000, ...before, blocks: [0] });

    // The process dies part-way through the next write of block 0: only its first bytes reach the file.
    const dying = new FsJobDeviceFiles<DeviceSlice[]>(dir, tornWriteOpener(100));
    await dying.readStatus('torn');
    await dying.readTimes('torn');
    await expect(dying.writeChanges('torn', { devices: 2000, ...progress(2000, [5, 1000]), blocks: [0] })).rejects.toThrow(/killed/);

    const restarted = new FsJobDeviceFiles<DeviceSlice[]>(dir);
    expect(await restarted.readStatus('torn')).toEqual(before.status);
    expect(await restarted.readTimes('torn')).toEqual(before.times);
    const after = progress(2000, [5, 6, 7]);
    await restarted.writeChanges('torn', { devices: 2000, ...after, blocks: [0] });
    expect(await new FsJobDeviceFiles<DeviceSlice[]>(dir).readStatus('torn')).toEqual(after.status);
  });

  it('refuses damaged files with a reason: bad magic, truncated, a flipped byte, a bad targets checksum', async () => {
    const dir = await dataDir();
    const files = new FsJobDeviceFiles<DeviceSlice[]>(dir);
    await files.create('bad', range(3000), 3000);
    await files.writeChanges('bad', { devices: 3000, ...progress(3000, [1, 2500]), blocks: [0, 2] });
    await files.writeChanges('bad', { devices: 3000, ...progress(3000, [1, 2, 2500]), blocks: [0] });
    const folder = path.join(dir, 'jobs', 'bad');
    const fresh = () => new FsJobDeviceFiles<DeviceSlice[]>(dir);

    // Block 0's older copy (its first write went to slot 1): damage a crash cannot explain.
    await flipByte(path.join(folder, 'status.bin'), 64 + 1040 + 16 + 1);
    await expect(fresh().readStatus('bad')).rejects.toThrow(/status\.bin of job "bad" fails its checksum in block 0/);
    await writeFile(path.join(folder, 'times.bin'), 'not a block file, but long enough to hold a header of 64 bytes.....');
    await expect(fresh().readTimes('bad')).rejects.toThrow(/bad magic/);
    const targets = path.join(folder, 'targets.json');
    await flipByte(targets, (await stat(targets)).size - 3);
    await expect(fresh().readTargets('bad')).rejects.toThrow(/targets\.json of job "bad" fails its checksum/);

    await files.create('short', range(3000), 3000);
    await truncateTo(path.join(dir, 'jobs', 'short', 'status.bin'), 2000);
    const error = await fresh().readStatus('short').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptJobFileError);
    expect((error as CorruptJobFileError).reason).toMatch(/^is truncated: 2000 bytes where its 3000 devices need \d+$/);
  });

  it('reads a job folder written before format 1 (bare targets, raw status and times) and rewrites it in format 1', async () => {
    const dir = await dataDir();
    const folder = path.join(dir, 'jobs', 'old');
    await mkdir(folder, { recursive: true });
    const old = progress(1500, [0, 1499]);
    await writeFile(path.join(folder, 'targets.json'), JSON.stringify(range(1500)));
    await writeFile(path.join(folder, 'status.bin'), old.status);
    await writeFile(path.join(folder, 'times.bin'), new Uint8Array(old.times.buffer));

    const files = new FsJobDeviceFiles<DeviceSlice[]>(dir);
    expect(await files.readTargets('old')).toEqual(range(1500));
    expect(await files.readStatus('old')).toEqual(old.status);
    expect(await files.readTimes('old')).toEqual(old.times);
    expect((await readFile(path.join(folder, 'status.bin'))).subarray(0, 8).toString('latin1')).toBe('FLJOBDEV');
    expect((await readFile(path.join(folder, 'targets.json'), 'utf8')).split('\n')[0]).toMatch(/^\{"format":1,"crc32":\d+,"bytes":\d+,"journal":"[0-9a-f]{16}"\}$/);
    await files.writeChanges('old', { devices: 1500, ...progress(1500, [0, 7, 1499]), blocks: [0] });
    expect((await new FsJobDeviceFiles<DeviceSlice[]>(dir).readStatus('old'))?.[7]).toBe(1);
  });

  it('writes only the changed blocks: about 9 bytes per device of each block touched', async () => {
    const dir = await dataDir();
    const opener = instrumentedOpener();
    const files = new FsJobDeviceFiles<DeviceSlice[]>(dir, opener);
    await files.create('big', range(1_000_000), 1_000_000);
    const done = progress(1_000_000, Array.from({ length: 1000 }, (_, i) => 500_000 + i));
    opener.bytesWritten = 0;
    await files.writeChanges('big', { devices: 1_000_000, ...done, blocks: [Math.floor(500_000 / BLOCK_DEVICES), Math.floor(500_999 / BLOCK_DEVICES)] });
    // Two blocks of status bytes and times, each with its 16-byte slot header; the files hold 9 MB.
    expect(opener.bytesWritten).toBe(2 * (BLOCK_DEVICES * 9 + 32));
  });

  it('waits for a job’s writes in progress before removing its folder, and ignores its writes after', async () => {
    const dir = await dataDir();
    const gate = gatedOpener();
    const files = new FsJobDeviceFiles<DeviceSlice[]>(dir, gate);
    await files.create('going', range(5000), 5000);
    gate.hold();
    const inFlight = files.writeChanges('going', { devices: 5000, ...progress(5000, [1]), blocks: [0] });
    await gate.waiting();
    const removed = files.remove('going');
    const late = files.writeChanges('going', { devices: 5000, ...progress(5000, [1, 2]), blocks: [0] });
    gate.release();
    await Promise.all([inFlight, removed, late]);
    await files.writeChanges('going', { devices: 5000, ...progress(5000, [3]), blocks: [0] });
    expect(await readdir(path.join(dir, 'jobs'))).toEqual([]);
  });

  it('after removing every job, writes of their changes do nothing and recreate no folder', async () => {
    const dir = await dataDir();
    const files = new FsJobDeviceFiles<DeviceSlice[]>(dir);
    await files.create('a', range(10), 10);
    await new FsJobDeviceFiles<DeviceSlice[]>(dir).create('b', range(10), 10);
    await files.removeAll();
    await files.writeChanges('a', { devices: 10, ...progress(10, [1]), blocks: [0] });
    await files.writeChanges('b', { devices: 10, ...progress(10, [1]), blocks: [0] });
    await expect(stat(path.join(dir, 'jobs'))).rejects.toMatchObject({ code: 'ENOENT' });
    await files.writeTargets('a', range(3));
    expect(await files.readTargets('a')).toEqual(range(3));
  });

  it.each([
    ['..', '..'],
    ['percent-encoded dots', '%2e%2e'],
    ['an absolute path', '/etc/passwd'],
    ['a path with a slash', 'a/../../b'],
    ['a backslash', '..\\..\\x'],
    ['a NUL byte', 'job\0'],
    ['300 characters', 'x'.repeat(300)],
    ['an empty id', ''],
  ])('refuses a job id that is %s, for every operation', async (_label, id) => {
    const dir = await dataDir();
    const files = new FsJobDeviceFiles<DeviceSlice[]>(dir);
    const devices = progress(1, []);
    const operations = [
      () => files.create(id, range(1), 1),
      () => files.writeTargets(id, range(1)),
      () => files.readTargets(id),
      () => files.writeStatus(id, devices.status),
      () => files.readStatus(id),
      () => files.writeTimes(id, devices.times),
      () => files.readTimes(id),
      () => files.writeChanges(id, { devices: 1, ...devices, blocks: [0] }),
      () => files.moveAside(id, 'status.bin'),
      () => files.remove(id),
    ];
    for (const operation of operations) await expect((async () => operation())()).rejects.toThrow(/cannot name a job folder/);
    expect(await readdir(dir)).toEqual([]);
  });
});

async function flipByte(file: string, position: number): Promise<void> {
  const handle = await open(file, 'r+');
  const byte = Buffer.alloc(1);
  await handle.read(byte, 0, 1, position);
  byte[0] = byte[0]! ^ 0xff;
  await handle.write(byte, 0, 1, position);
  await handle.close();
}

async function truncateTo(file: string, size: number): Promise<void> {
  const handle = await open(file, 'r+');
  await handle.truncate(size);
  await handle.close();
}
