import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  BLOCK_DEVICES,
  copyBlocks,
  createBlockFile,
  DamagedFileError,
  hasBlockFileMagic,
  readBlockFile,
  writeBlocks,
  writeWholeBlockFile,
  type BlockCopy,
  type BlockLayout,
  type FileOpener,
} from './block-file.js';
import { readTargetsFile, writeTargetsFile } from './targets-file.js';
import { checkedJobFolder, JOB_ID } from './job-paths.js';

export type JobFileName = 'targets.json' | 'status.bin' | 'times.bin';

/** A job's file is missing, unreadable or fails its check; `reason` completes "<file> …". */
export class CorruptJobFileError extends Error {
  constructor(
    readonly jobId: string,
    readonly file: JobFileName,
    readonly reason: string,
  ) {
    super(`${file} of job "${jobId}" ${reason}`);
  }
}

/** What changed in a running job since its last checkpoint. */
export interface DeviceChanges {
  /** Devices the job has now: more than its files hold once a continuous job grew. */
  devices: number;
  status: Uint8Array;
  /** [startedAt, updatedAt] per device. */
  times: Uint32Array;
  /** Blocks of BLOCK_DEVICES devices whose status bytes or times changed, in order. */
  blocks: readonly number[];
}

/** A job's device targets (a JSON list of range / id slices), its status bytes (one per device) and device times. */
export interface JobDeviceFiles<Targets> {
  /** A started job's files: its targets, every device pending, no times yet. */
  create(jobId: string, targets: Targets, devices: number): Promise<void>;
  writeTargets(jobId: string, targets: Targets): Promise<void>;
  /** Null when the job has no targets file; throws CorruptJobFileError when it fails its check. */
  readTargets(jobId: string): Promise<Targets | null>;
  /** Replaces the whole file (snapshots, a finished job's device removed). */
  writeStatus(jobId: string, status: Uint8Array): Promise<void>;
  readStatus(jobId: string): Promise<Uint8Array | null>;
  writeTimes(jobId: string, times: Uint32Array): Promise<void>;
  readTimes(jobId: string): Promise<Uint32Array | null>;
  /**
   * Writes the changed blocks of a running job. It copies them before it returns, so the caller may change its arrays
   * at once. A no-op for a job whose files were removed.
   */
  writeChanges(jobId: string, changes: DeviceChanges): Promise<void>;
  /** Renames a file that failed its check to `<name>.corrupt-<timestamp>`; its new path, or null when it is missing. */
  moveAside(jobId: string, file: JobFileName): Promise<string | null>;
  /** Waits for the job's writes in progress, then deletes its folder; later writes of its changes do nothing. */
  remove(jobId: string): Promise<void>;
  removeAll(): Promise<void>;
}

interface JobFolder {
  /** Every read and write of the job's files, one after the other. */
  queue: Promise<unknown>;
  removed: boolean;
  layouts: Partial<Record<'status.bin' | 'times.bin', BlockLayout>>;
}

const BYTES_PER_DEVICE = { 'status.bin': 1, 'times.bin': 8 } as const;
const nodeOpener: FileOpener = { open: (file, flags) => open(file, flags) };

/**
 * One folder per job under <dataDir>/jobs. Targets are replaced atomically (temp file + rename); status bytes and
 * times are block files (see block-file.ts) that checkpoints update in place, block by block.
 */
export class FsJobDeviceFiles<Targets> implements JobDeviceFiles<Targets> {
  private readonly folders = new Map<string, JobFolder>();
  private readonly root: string;
  private clearing: Promise<unknown> = Promise.resolve();

  constructor(
    dataDir: string,
    private readonly opener: FileOpener = nodeOpener,
  ) {
    this.root = path.join(path.resolve(dataDir), 'jobs');
  }

  create(jobId: string, targets: Targets, devices: number): Promise<void> {
    return this.recreate(jobId, async (folder, dir) => {
      await writeTargetsFile(this.opener, path.join(dir, 'targets.json'), targets);
      for (const name of ['status.bin', 'times.bin'] as const) {
        folder.layouts[name] = await this.replaceFile(dir, name, (temp) => createBlockFile(this.opener, temp, BYTES_PER_DEVICE[name], devices));
      }
    });
  }

  writeTargets(jobId: string, targets: Targets): Promise<void> {
    return this.recreate(jobId, (_folder, dir) => writeTargetsFile(this.opener, path.join(dir, 'targets.json'), targets));
  }

  readTargets(jobId: string): Promise<Targets | null> {
    return this.enqueue(jobId, async (folder, dir) => {
      const read = await this.checked(jobId, 'targets.json', () => readTargetsFile<Targets>(this.opener, path.join(dir, 'targets.json')));
      if (read?.legacy) await this.migrateLegacyFolder(folder, dir, read.targets);
      return read?.targets ?? null;
    });
  }

  writeStatus(jobId: string, status: Uint8Array): Promise<void> {
    return this.writeWhole(jobId, 'status.bin', status.slice());
  }

  readStatus(jobId: string): Promise<Uint8Array | null> {
    return this.readBlocks(jobId, 'status.bin');
  }

  writeTimes(jobId: string, times: Uint32Array): Promise<void> {
    return this.writeWhole(jobId, 'times.bin', new Uint8Array(times.slice().buffer));
  }

  async readTimes(jobId: string): Promise<Uint32Array | null> {
    const bytes = await this.readBlocks(jobId, 'times.bin');
    return bytes && new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  }

  writeChanges(jobId: string, changes: DeviceChanges): Promise<void> {
    const folder = this.folderOf(jobId);
    if (folder.removed) return Promise.resolve();
    const copies: Record<'status.bin' | 'times.bin', BlockCopy[]> = {
      'status.bin': copyBlocks(changes.status, 1, changes.blocks),
      'times.bin': copyBlocks(new Uint8Array(changes.times.buffer, changes.times.byteOffset, changes.times.byteLength), 8, changes.blocks),
    };
    return this.enqueue(jobId, async (live, dir) => {
      for (const name of ['status.bin', 'times.bin'] as const) {
        if (live.removed) return;
        const file = path.join(dir, name);
        const layout = live.layouts[name] ?? (await this.checked(jobId, name, () => readBlockFile(this.opener, file, BYTES_PER_DEVICE[name])))?.layout;
        if (!layout) throw new CorruptJobFileError(jobId, name, 'is missing');
        live.layouts[name] = layout;
        if (changes.devices > layout.devices || copies[name].length > 0) await writeBlocks(this.opener, file, layout, changes.devices, copies[name]);
      }
    });
  }

  moveAside(jobId: string, file: JobFileName): Promise<string | null> {
    return this.enqueue(jobId, async (folder, dir) => {
      if (file !== 'targets.json') delete folder.layouts[file];
      const from = path.join(dir, file);
      const to = `${from}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      try {
        await rename(from, to);
        return to;
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    });
  }

  remove(jobId: string): Promise<void> {
    const folder = this.folderOf(jobId);
    folder.removed = true;
    return this.enqueue(jobId, async (_folder, dir) => {
      folder.layouts = {};
      await rm(dir, { recursive: true, force: true });
    });
  }

  removeAll(): Promise<void> {
    const folders = [...this.folders.values()];
    for (const folder of folders) folder.removed = true;
    const done = (async () => {
      await Promise.allSettled(folders.map((folder) => folder.queue));
      for (const id of await listFolders(this.root)) this.folderOf(id).removed = true;
      for (const folder of this.folders.values()) folder.layouts = {};
      await rm(this.root, { recursive: true, force: true });
    })();
    this.clearing = done.catch(() => undefined);
    return done;
  }

  /**
   * A folder written before format 1 (bare targets JSON, raw status bytes and times) is rewritten in format 1: times,
   * then status, then targets, which mark the folder as legacy. A crash part-way leaves it recognisable, and the files
   * already rewritten are recognised by their magic.
   */
  private async migrateLegacyFolder(folder: JobFolder, dir: string, targets: Targets): Promise<void> {
    const status = await readIfPresent(path.join(dir, 'status.bin'));
    const times = await readIfPresent(path.join(dir, 'times.bin'));
    const rawStatus = status && !hasBlockFileMagic(status) ? status : undefined;
    const rawTimes = times && !hasBlockFileMagic(times) && times.length % 8 === 0 ? times : undefined;
    // Versions before device times had none: every device gets none.
    const timeBytes = rawTimes ?? (!times && rawStatus ? new Uint8Array(rawStatus.length * 8) : undefined);
    if (timeBytes) folder.layouts['times.bin'] = await this.replaceFile(dir, 'times.bin', (temp) => writeWholeBlockFile(this.opener, temp, 8, timeBytes));
    if (rawStatus) folder.layouts['status.bin'] = await this.replaceFile(dir, 'status.bin', (temp) => writeWholeBlockFile(this.opener, temp, 1, rawStatus));
    await writeTargetsFile(this.opener, path.join(dir, 'targets.json'), targets);
  }

  private folderOf(jobId: string): JobFolder {
    checkedJobFolder(this.root, jobId);
    let folder = this.folders.get(jobId);
    if (!folder) {
      folder = { queue: Promise.resolve(), removed: false, layouts: {} };
      this.folders.set(jobId, folder);
    }
    return folder;
  }

  /** Runs `task` after the job's earlier reads and writes (and any removeAll under way); its result is the caller's. */
  private enqueue<T>(jobId: string, task: (folder: JobFolder, dir: string) => Promise<T>): Promise<T> {
    const dir = checkedJobFolder(this.root, jobId);
    const folder = this.folderOf(jobId);
    const clearing = this.clearing;
    const result = folder.queue.then(() => clearing).then(() => task(folder, dir));
    folder.queue = result.catch(() => undefined);
    return result;
  }

  /** A write that (re)creates the job's folder: a job's files written anew after it was removed. */
  private recreate(jobId: string, task: (folder: JobFolder, dir: string) => Promise<void>): Promise<void> {
    return this.enqueue(jobId, async (folder, dir) => {
      folder.removed = false;
      await mkdir(dir, { recursive: true });
      await task(folder, dir);
    });
  }

  private writeWhole(jobId: string, name: 'status.bin' | 'times.bin', bytes: Uint8Array): Promise<void> {
    return this.recreate(jobId, async (folder, dir) => {
      delete folder.layouts[name];
      folder.layouts[name] = await this.replaceFile(dir, name, (temp) => writeWholeBlockFile(this.opener, temp, BYTES_PER_DEVICE[name], bytes));
    });
  }

  private readBlocks(jobId: string, name: 'status.bin' | 'times.bin'): Promise<Uint8Array | null> {
    return this.enqueue(jobId, async (folder, dir) => {
      const read = await this.checked(jobId, name, () => readBlockFile(this.opener, path.join(dir, name), BYTES_PER_DEVICE[name]));
      if (!read) return null;
      folder.layouts[name] = read.layout;
      return read.values;
    });
  }

  /** Writes a temp file, then renames it over the file: a crash leaves the old file or the new one. */
  private async replaceFile<T>(dir: string, name: string, write: (temp: string) => Promise<T>): Promise<T> {
    const temp = path.join(dir, `.${name}.tmp`);
    const result = await write(temp);
    await rename(temp, path.join(dir, name));
    return result;
  }

  /** Null for a missing file; a damaged one as CorruptJobFileError; other I/O errors as they are. */
  private async checked<T>(jobId: string, file: JobFileName, read: () => Promise<T>): Promise<T | null> {
    try {
      return await read();
    } catch (error) {
      if (isMissing(error)) return null;
      if (error instanceof DamagedFileError) throw new CorruptJobFileError(jobId, file, error.message);
      throw error;
    }
  }
}

export class MemoryJobDeviceFiles<Targets> implements JobDeviceFiles<Targets> {
  private readonly targets = new Map<string, Targets>();
  private readonly status = new Map<string, Uint8Array>();
  private readonly times = new Map<string, Uint32Array>();
  async create(jobId: string, targets: Targets, devices: number) {
    await this.writeTargets(jobId, targets);
    this.status.set(jobId, new Uint8Array(devices));
    this.times.set(jobId, new Uint32Array(devices * 2));
  }
  async writeTimes(jobId: string, times: Uint32Array) {
    this.times.set(jobId, times.slice());
  }
  async readTimes(jobId: string) {
    return this.times.get(jobId)?.slice() ?? null;
  }
  async writeTargets(jobId: string, targets: Targets) {
    this.targets.set(jobId, structuredClone(targets));
  }
  async readTargets(jobId: string) {
    return this.targets.get(jobId) ?? null;
  }
  async writeStatus(jobId: string, status: Uint8Array) {
    this.status.set(jobId, status.slice());
  }
  async readStatus(jobId: string) {
    return this.status.get(jobId)?.slice() ?? null;
  }
  writeChanges(jobId: string, changes: DeviceChanges): Promise<void> {
    const status = this.status.get(jobId);
    const times = this.times.get(jobId);
    if (!status || !times) return Promise.resolve();
    // Like the files, a copy of the changed devices only: a checkpoint must cost what changed, in memory too.
    this.status.set(jobId, copyChanged(status, changes.status, changes.blocks, 1));
    this.times.set(jobId, copyChanged(times, changes.times, changes.blocks, 2));
    return Promise.resolve();
  }
  async moveAside() {
    return null;
  }
  async remove(jobId: string) {
    this.targets.delete(jobId);
    this.status.delete(jobId);
    this.times.delete(jobId);
  }
  async removeAll() {
    this.targets.clear();
    this.status.clear();
    this.times.clear();
  }
}

function copyChanged<T extends Uint8Array | Uint32Array>(stored: T, live: T, blocks: readonly number[], perDevice: number): T {
  const target = live.length > stored.length ? (new (stored.constructor as new (n: number) => T)(live.length) as T) : stored;
  if (target !== stored) target.set(stored);
  const span = BLOCK_DEVICES * perDevice;
  for (const block of blocks) target.set(live.subarray(block * span, (block + 1) * span), block * span);
  return target;
}

async function readIfPresent(file: string): Promise<Uint8Array | null> {
  try {
    const bytes = await readFile(file);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

async function listFolders(root: string): Promise<string[]> {
  try {
    return (await readdir(root, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).filter((name) => JOB_ID.test(name));
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}
