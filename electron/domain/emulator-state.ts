import type { AppStore } from '../store/app-store.js';
import type { JobDeviceFiles } from '../store/job-files.js';
import { emptyStore, SCHEMA_VERSION, withoutPrototypes, type StoreData } from '../store/records.js';
import { invalid } from './errors.js';
import type { DeviceSlice } from './fleet-executor.js';
import type { JobEngine } from './jobs/job-engine.js';
import type { JobScheduler } from './jobs/scheduler.js';

export const SNAPSHOT_FORMAT = 'fleetlab-snapshot';

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  schemaVersion: number;
  exportedAt: string;
  data: StoreData;
  /** Per-job device files: targets, status bytes and device times (both in base64). */
  jobFiles: Record<string, { targets: DeviceSlice[]; status: string; times?: string }>;
}

/** Reset and whole-state export / import, so tests can start from a known fleet and share it as one file. */
export class EmulatorState {
  constructor(
    private readonly store: AppStore,
    private readonly files: JobDeviceFiles<DeviceSlice[]>,
    private readonly engine: JobEngine,
    private readonly scheduler: JobScheduler,
    /** Drops what other services derived from the store, once its data has been replaced. */
    private readonly onReplaced: () => void,
  ) {}

  /** Empties the store; API tokens survive, so the caller keeps access. */
  async reset(): Promise<void> {
    await this.replace({ ...emptyStore(), apiTokens: this.store.data.apiTokens }, {});
  }

  async exportSnapshot(): Promise<Snapshot> {
    const jobFiles: Snapshot['jobFiles'] = {};
    for (const id of Object.keys(this.store.data.jobs)) {
      const targets = await this.files.readTargets(id);
      const status = await this.files.readStatus(id);
      const times = await this.files.readTimes(id);
      if (targets && status) {
        jobFiles[id] = {
          targets,
          status: Buffer.from(status).toString('base64'),
          ...(times ? { times: Buffer.from(times.buffer, times.byteOffset, times.byteLength).toString('base64') } : {}),
        };
      }
    }
    return { format: SNAPSHOT_FORMAT, schemaVersion: SCHEMA_VERSION, exportedAt: new Date().toISOString(), data: structuredClone(this.store.data), jobFiles };
  }

  async importSnapshot(snapshot: Snapshot): Promise<void> {
    if (snapshot.schemaVersion > SCHEMA_VERSION) {
      throw invalid(`The snapshot was written by a newer Fleetlab (schema ${snapshot.schemaVersion}; this one reads up to ${SCHEMA_VERSION}).`);
    }
    await this.replace({ ...emptyStore(), ...snapshot.data, schemaVersion: SCHEMA_VERSION }, snapshot.jobFiles);
  }

  private async replace(data: StoreData, jobFiles: Snapshot['jobFiles']): Promise<void> {
    this.scheduler.close();
    await this.engine.clear();
    for (const [id, { targets, status, times }] of Object.entries(jobFiles)) {
      const statusBytes = new Uint8Array(Buffer.from(status, 'base64'));
      await this.files.writeTargets(id, targets);
      await this.files.writeStatus(id, statusBytes);
      const timeBytes = times === undefined ? undefined : Buffer.from(times, 'base64');
      const deviceTimes = timeBytes && timeBytes.byteLength % 4 === 0 ? new Uint32Array(timeBytes.buffer.slice(timeBytes.byteOffset, timeBytes.byteOffset + timeBytes.byteLength)) : undefined;
      // A snapshot from before device times were kept: its devices have none.
      await this.files.writeTimes(id, deviceTimes ?? new Uint32Array(statusBytes.length * 2));
    }
    Object.assign(this.store.data, withoutPrototypes(data));
    this.onReplaced();
    await this.store.save();
    await this.engine.recover();
    this.scheduler.start();
  }
}
