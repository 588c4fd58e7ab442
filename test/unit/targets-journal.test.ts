import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceSlice } from '../../electron/domain/fleet-executor.js';
import { FsJobDeviceFiles } from '../../electron/store/fs-job-files.js';
import { CorruptJobFileError } from '../../electron/store/job-files.js';
import { StorageError } from '../../electron/store/storage-error.js';
import { instrumentedOpener } from '../helpers/job-file-opener.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fleetlab-targets-journal-'));
  dirs.push(dir);
  return dir;
}

const FLEET: DeviceSlice[] = [{ prefix: 'meter', first: 1, count: 1_000_000 }];
/** Things that joined: `count` ids from `first` on. */
const joined = (first: number, count: number): DeviceSlice[] => [{ ids: Array.from({ length: count }, (_, i) => `thing-${first + i}`) }];
const idsIn = (slices: DeviceSlice[]) => slices.flatMap((slice) => ('ids' in slice ? slice.ids : [`${slice.prefix}-${slice.first}..${slice.count}`]));
const journalOf = (dir: string, job: string) => path.join(dir, 'jobs', job, 'targets.journal');

describe('targets appended to a growing job', () => {
  it('write what an append adds: 100 things after 200,000 appended cost the bytes they did after 10,000', async () => {
    const dir = await dataDir();
    const opener = instrumentedOpener();
    const files = new FsJobDeviceFiles<DeviceSlice[]>(dir, opener);
    await files.create('grows', FLEET, 1_000_000);
    const appendOf100 = async (first: number) => {
      const before = opener.bytesWritten;
      await files.appendTargets('grows', joined(first, 100));
      return opener.bytesWritten - before;
    };
    let appended = 0;
    const appendUpTo = async (total: number) => {
      for (; appended < total; appended += 10_000) await files.appendTargets('grows', joined(1_000_000 + appended, 10_000));
    };
    await appendUpTo(10_000);
    const early = await appendOf100(100_000_000);
    await appendUpTo(200_000);
    const late = await appendOf100(200_000_000);
    // 100 ids of 15 or 16 characters as JSON, and an 8-byte record head: no rewrite of the 200,000 before them.
    expect(early).toBeGreaterThan(100 * 15);
    expect(early).toBeLessThan(2000);
    expect(late).toBeLessThanOrEqual(early);

    const read = await new FsJobDeviceFiles<DeviceSlice[]>(dir).readTargets('grows');
    expect(read?.[0]).toEqual(FLEET[0]);
    const ids = idsIn(read!.slice(1));
    expect(ids).toHaveLength(200_200);
    expect(ids.slice(10_000, 10_002)).toEqual(['thing-100000000', 'thing-100000001']);
    expect(ids.at(-1)).toBe('thing-200000099');
  }, 60_000);

  it('fold into targets.json when the journal outgrows it, so that all the rewrites together cost a few times what was appended', async () => {
    const dir = await dataDir();
    const opener = instrumentedOpener();
    const files = new FsJobDeviceFiles<DeviceSlice[]>(dir, opener, { compactTargetsAfterBytes: 4096 });
    await files.create('grows', FLEET, 1_000_000);
    const before = opener.bytesWritten;
    for (let n = 0; n < 300; n++) await files.appendTargets('grows', joined(n * 50, 50));
    const appendedBytes = JSON.stringify(joined(0, 15_000)[0]).length;
    expect(opener.bytesWritten - before).toBeLessThan(4 * appendedBytes);
    // The journal holds only what came after the last fold.
    expect((await stat(journalOf(dir, 'grows')).catch(() => ({ size: 0 }))).size).toBeLessThan((await stat(path.join(dir, 'jobs', 'grows', 'targets.json'))).size);
    expect(idsIn((await new FsJobDeviceFiles<DeviceSlice[]>(dir).readTargets('grows'))!.slice(1))).toEqual(idsIn(joined(0, 15_000)));
  });

  it('are folded into targets.json when read back after a restart, and further appends follow them', async () => {
    const dir = await dataDir();
    const files = new FsJobDeviceFiles<DeviceSlice[]>(dir);
    await files.create('grows', FLEET, 1_000_000);
    await files.appendTargets('grows', joined(1, 3));
    await files.appendTargets('grows', [{ prefix: 'valve', first: 1, count: 50 }]);
    const restarted = new FsJobDeviceFiles<DeviceSlice[]>(dir);
    const expected = [...FLEET, ...joined(1, 3), { prefix: 'valve', first: 1, count: 50 }];
    expect(await restarted.readTargets('grows')).toEqual(expected);
    expect(await readdir(path.join(dir, 'jobs', 'grows'))).not.toContain('targets.journal');
    await restarted.appendTargets('grows', joined(9, 1));
    expect(await new FsJobDeviceFiles<DeviceSlice[]>(dir).readTargets('grows')).toEqual([...expected, ...joined(9, 1)]);
  });

  it.each([
    [1, 1],
    [1, 7],
    [1, 8],
    [1, 20],
    [0, 5],
  ])('killed mid-append (%i whole before it, the torn one %i bytes short): the restart reads the targets before it, and appends after them', async (whole, cut) => {
    const dir = await dataDir();
    const files = new FsJobDeviceFiles<DeviceSlice[]>(dir);
    await files.create('torn', FLEET, 1_000_000);
    const before = [...FLEET, ...(whole > 0 ? joined(1, 2) : [])];
    if (whole > 0) await files.appendTargets('torn', joined(1, 2));
    await files.appendTargets('torn', joined(3, 2));
    await truncate(journalOf(dir, 'torn'), (await stat(journalOf(dir, 'torn'))).size - cut);

    const restarted = new FsJobDeviceFiles<DeviceSlice[]>(dir);
    const read = await restarted.readTargets('torn');
    expect(read).toEqual(before);
    await restarted.appendTargets('torn', joined(5, 1));
    expect(await new FsJobDeviceFiles<DeviceSlice[]>(dir).readTargets('torn')).toEqual([...before, ...joined(5, 1)]);
  });

  it('refuse an append the disk cannot take, with a storage error, and keep the targets as they were', async () => {
    const dir = await dataDir();
    const opener = instrumentedOpener();
    const files = new FsJobDeviceFiles<DeviceSlice[]>(dir, opener);
    await files.create('full', FLEET, 1_000_000);
    await files.appendTargets('full', joined(1, 1));
    opener.diskFull = true;
    const refused = files.appendTargets('full', joined(2, 1));
    await expect(refused).rejects.toBeInstanceOf(StorageError);
    await expect(refused).rejects.toMatchObject({ failure: 'full' });
    opener.diskFull = false;
    await files.appendTargets('full', joined(3, 1));
    expect(await new FsJobDeviceFiles<DeviceSlice[]>(dir).readTargets('full')).toEqual([...FLEET, ...joined(1, 1), ...joined(3, 1)]);
  });

  it('a journal left by targets written since is ignored; one damaged before its last record fails its job with the reason', async () => {
    const dir = await dataDir();
    const files = new FsJobDeviceFiles<DeviceSlice[]>(dir);
    await files.create('old', FLEET, 1_000_000);
    await files.appendTargets('old', joined(1, 2));
    const stale = await readFile(journalOf(dir, 'old'));
    await files.writeTargets('old', joined(100, 1));
    await writeFile(journalOf(dir, 'old'), stale);
    expect(await new FsJobDeviceFiles<DeviceSlice[]>(dir).readTargets('old')).toEqual(joined(100, 1));

    await files.create('damaged', FLEET, 1_000_000);
    await files.appendTargets('damaged', joined(1, 2));
    await files.appendTargets('damaged', joined(3, 2));
    const bytes = await readFile(journalOf(dir, 'damaged'));
    bytes[40] = bytes[40]! ^ 0x55;
    await writeFile(journalOf(dir, 'damaged'), bytes);
    const read = new FsJobDeviceFiles<DeviceSlice[]>(dir).readTargets('damaged');
    await expect(read).rejects.toBeInstanceOf(CorruptJobFileError);
    await expect(read).rejects.toMatchObject({ file: 'targets.journal', message: expect.stringMatching(/fails its checksum in the record at byte 32/) });
  });
});
