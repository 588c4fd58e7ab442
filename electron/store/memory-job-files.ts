import { BLOCK_DEVICES } from './block-file.js';
import type { DeviceChanges, JobDeviceFiles } from './job-files.js';

/** A job's device files kept in memory: the engine's tests run on it without a data dir. */
export class MemoryJobDeviceFiles<Targets extends unknown[]> implements JobDeviceFiles<Targets> {
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
  async appendTargets(jobId: string, appended: Targets) {
    const targets = this.targets.get(jobId);
    for (const slice of structuredClone(appended)) targets?.push(slice);
  }
  async readTargets(jobId: string) {
    const targets = this.targets.get(jobId);
    // A copy: later appends must not change the list a reader holds.
    return targets ? ([...targets] as Targets) : null;
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
