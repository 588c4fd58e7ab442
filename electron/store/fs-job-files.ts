import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { copyBlocks, createBlockFile, DamagedFileError, readBlockFile, writeBlocks, writeWholeBlockFile, type BlockCopy, type BlockLayout, type FileOpener } from './block-file.js';
import { isMissing, replaceFile } from './job-file-io.js';
import { CorruptJobFileError, type DeviceChanges, type JobDeviceFiles, type JobFileName } from './job-files.js';
import { checkedJobFolder, JOB_ID } from './job-paths.js';
import { JobTargets, type TargetsState } from './job-targets.js';
import { migrateLegacyFolder } from './legacy-job-folder.js';
import { storageErrorOf } from './storage-error.js';
import { DamagedJournalError } from './targets-journal.js';

interface JobFolder {
  /** Every read and write of the job's files, one after the other. */
  queue: Promise<unknown>;
  removed: boolean;
  layouts: Partial<Record<'status.bin' | 'times.bin', BlockLayout>>;
  /** Where its targets stand on disk, as last read or written. */
  targets?: TargetsState;
}

export interface JobFilesOptions {
  /** Journaled appends after which a job's targets are folded into its targets.json (when they outgrow it too). */
  compactTargetsAfterBytes?: number;
}

const BYTES_PER_DEVICE = { 'status.bin': 1, 'times.bin': 8 } as const;
const nodeOpener: FileOpener = { open: (file, flags) => open(file, flags) };

/**
 * One folder per job under <dataDir>/jobs. Targets are replaced atomically (temp file + rename) and grow by a journal
 * of appends (see job-targets.ts); status bytes and times are block files (see block-file.ts) that checkpoints update
 * in place, block by block.
 */
export class FsJobDeviceFiles<Targets extends unknown[]> implements JobDeviceFiles<Targets> {
  private readonly folders = new Map<string, JobFolder>();
  private readonly root: string;
  private readonly targets: JobTargets;
  private clearing: Promise<unknown> = Promise.resolve();

  constructor(
    dataDir: string,
    private readonly opener: FileOpener = nodeOpener,
    options: JobFilesOptions = {},
  ) {
    this.root = path.join(path.resolve(dataDir), 'jobs');
    this.targets = new JobTargets(opener, options.compactTargetsAfterBytes ?? 1024 * 1024);
  }

  create(jobId: string, targets: Targets, devices: number): Promise<void> {
    return this.recreate(jobId, async (folder, dir) => {
      folder.targets = await this.targets.write(dir, targets);
      for (const name of ['status.bin', 'times.bin'] as const) {
        folder.layouts[name] = await replaceFile(dir, name, (temp) => createBlockFile(this.opener, temp, BYTES_PER_DEVICE[name], devices));
      }
    });
  }

  writeTargets(jobId: string, targets: Targets): Promise<void> {
    return this.recreate(jobId, async (folder, dir) => {
      delete folder.targets;
      folder.targets = await this.targets.write(dir, targets);
    });
  }

  readTargets(jobId: string): Promise<Targets | null> {
    return this.enqueue(jobId, async (folder, dir) => {
      const read = await this.checked(jobId, 'targets.json', () => this.targets.read<Targets>(dir));
      if (!read) return null;
      folder.targets = read.state;
      if (read.legacy) await migrateLegacyFolder(this.opener, dir, folder.layouts, async () => (folder.targets = await this.targets.write(dir, read.targets)));
      return read.targets;
    });
  }

  appendTargets(jobId: string, appended: Targets): Promise<void> {
    return this.enqueue(jobId, async (folder, dir) => {
      if (folder.removed) return;
      const state = folder.targets ?? (await this.checked(jobId, 'targets.json', () => this.targets.read(dir)))?.state;
      if (!state) throw new CorruptJobFileError(jobId, 'targets.json', 'is missing');
      try {
        folder.targets = await this.targets.append(dir, state, appended);
      } catch (error) {
        throw storageErrorOf(error, `the new targets of job "${jobId}"`);
      }
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
      if (file === 'status.bin' || file === 'times.bin') delete folder.layouts[file];
      else delete folder.targets;
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
      delete folder.targets;
      await rm(dir, { recursive: true, force: true });
    });
  }

  removeAll(): Promise<void> {
    const folders = [...this.folders.values()];
    for (const folder of folders) folder.removed = true;
    const done = (async () => {
      await Promise.allSettled(folders.map((folder) => folder.queue));
      for (const id of await listFolders(this.root)) this.folderOf(id).removed = true;
      for (const folder of this.folders.values()) {
        folder.layouts = {};
        delete folder.targets;
      }
      await rm(this.root, { recursive: true, force: true });
    })();
    this.clearing = done.catch(() => undefined);
    return done;
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
      folder.layouts[name] = await replaceFile(dir, name, (temp) => writeWholeBlockFile(this.opener, temp, BYTES_PER_DEVICE[name], bytes));
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

  /** Null for a missing file; a damaged one as CorruptJobFileError; other I/O errors as they are. */
  private async checked<T>(jobId: string, file: JobFileName, read: () => Promise<T>): Promise<T | null> {
    try {
      return await read();
    } catch (error) {
      if (isMissing(error)) return null;
      if (error instanceof DamagedJournalError) throw new CorruptJobFileError(jobId, 'targets.journal', error.message);
      if (error instanceof DamagedFileError) throw new CorruptJobFileError(jobId, file, error.message);
      throw error;
    }
  }
}

async function listFolders(root: string): Promise<string[]> {
  try {
    return (await readdir(root, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).filter((name) => JOB_ID.test(name));
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}
