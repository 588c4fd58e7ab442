import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { Writer } from 'steno';

/** A job's device targets (a JSON list of range / id slices), its status bytes (one per device) and device times. */
export interface JobDeviceFiles<Targets> {
  writeTargets(jobId: string, targets: Targets): Promise<void>;
  readTargets(jobId: string): Promise<Targets | null>;
  writeStatus(jobId: string, status: Uint8Array): Promise<void>;
  readStatus(jobId: string): Promise<Uint8Array | null>;
  writeTimes(jobId: string, times: Uint32Array): Promise<void>;
  readTimes(jobId: string): Promise<Uint32Array | null>;
  remove(jobId: string): Promise<void>;
  removeAll(): Promise<void>;
}

/**
 * One folder per job under <dataDir>/jobs, each file written atomically (temp file + rename), so that a
 * 1M-device job persists as ~1 MB without rewriting the main data file.
 */
export class FsJobDeviceFiles<Targets> implements JobDeviceFiles<Targets> {
  /** One writer per file, registered before its folder exists: two writers of one file would race on its temp file. */
  private readonly writers = new Map<string, Promise<Writer>>();

  constructor(private readonly dataDir: string) {}

  async writeTargets(jobId: string, targets: Targets): Promise<void> {
    await this.write(jobId, 'targets.json', JSON.stringify(targets));
  }

  async readTargets(jobId: string): Promise<Targets | null> {
    const text = await readIfPresent(this.file(jobId, 'targets.json'));
    return text === null ? null : (JSON.parse(text.toString('utf8')) as Targets);
  }

  async writeStatus(jobId: string, status: Uint8Array): Promise<void> {
    await this.write(jobId, 'status.bin', status);
  }

  async readStatus(jobId: string): Promise<Uint8Array | null> {
    const bytes = await readIfPresent(this.file(jobId, 'status.bin'));
    return bytes === null ? null : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async writeTimes(jobId: string, times: Uint32Array): Promise<void> {
    await this.write(jobId, 'times.bin', new Uint8Array(times.buffer, times.byteOffset, times.byteLength));
  }

  async readTimes(jobId: string): Promise<Uint32Array | null> {
    const bytes = await readIfPresent(this.file(jobId, 'times.bin'));
    if (bytes === null || bytes.byteLength % 4 !== 0) return null;
    return new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }

  async remove(jobId: string): Promise<void> {
    await rm(this.folder(jobId), { recursive: true, force: true });
    // A writer recreates the folder only when it is new; a job id reused after deletion needs new writers.
    for (const name of ['targets.json', 'status.bin', 'times.bin']) this.writers.delete(this.file(jobId, name));
  }

  async removeAll(): Promise<void> {
    await rm(path.join(this.dataDir, 'jobs'), { recursive: true, force: true });
    this.writers.clear();
  }

  private folder(jobId: string): string {
    return path.join(this.dataDir, 'jobs', jobId);
  }

  private file(jobId: string, name: string): string {
    return path.join(this.folder(jobId), name);
  }

  private async write(jobId: string, name: string, data: string | Uint8Array): Promise<void> {
    const file = this.file(jobId, name);
    let writer = this.writers.get(file);
    if (!writer) {
      writer = mkdir(this.folder(jobId), { recursive: true }).then(() => new Writer(file));
      this.writers.set(file, writer);
      writer.catch(() => this.writers.delete(file));
    }
    await (await writer).write(data);
  }
}

export class MemoryJobDeviceFiles<Targets> implements JobDeviceFiles<Targets> {
  private readonly targets = new Map<string, Targets>();
  private readonly status = new Map<string, Uint8Array>();
  private readonly times = new Map<string, Uint32Array>();
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

async function readIfPresent(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
