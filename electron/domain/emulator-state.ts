import { migrate } from '../store/json-document.js';
import type { JobDeviceFiles } from '../store/job-files.js';
import type { StoreState } from '../store/store.js';
import { invalid } from './errors.js';
import { awsJobRecordProblem } from './aws/aws-job-record-check.js';
import { thingGroupInCycle } from './aws/thing-group-record-check.js';
import { jobRecordProblem } from './jobs/job-record-check.js';
import type { DeviceSlice } from './fleet-executor.js';
import type { JobEngine } from './jobs/job-engine.js';
import type { JobScheduler } from './central/scheduled-jobs.js';
import { FLEETLAB_SCHEMA, SCHEMA_VERSION, type AppStore } from './persisted.js';

export const SNAPSHOT_FORMAT = 'fleetlab-snapshot';

/** The whole state in the data file's own shape: each collection as an object by id, each singleton. */
export type SnapshotData = Record<string, unknown>;

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  schemaVersion: number;
  exportedAt: string;
  data: SnapshotData;
  /** Per-job device files: targets, status bytes and device times (both in base64). */
  jobFiles: Record<string, { targets: DeviceSlice[]; status: string; times?: string }>;
}

/** Reset and whole-state export / import, so tests can start from a known fleet and share it as one file. */
export class EmulatorState {
  /** Resets and imports one at a time: each waits for the job writes of the one before. */
  private replacing = Promise.resolve();

  constructor(
    private readonly store: AppStore,
    private readonly files: JobDeviceFiles<DeviceSlice[]>,
    private readonly engine: JobEngine,
    private readonly scheduler: JobScheduler,
  ) {}

  /** Empties the store; API tokens survive, so the caller keeps access. */
  reset(): Promise<void> {
    const state = emptyState();
    state.collections.set('apiTokens', new Map(this.store.repository('apiTokens').list().map((token) => [token.id, token])));
    return this.replace(state, {});
  }

  async exportSnapshot(): Promise<Snapshot> {
    // A job the API already shows as finished is saved as finished, not as its last checkpoint.
    await this.engine.writesSettled();
    const state = this.store.state();
    const data: SnapshotData = { schemaVersion: SCHEMA_VERSION, ...Object.fromEntries(state.singletons) };
    for (const [name, records] of state.collections) data[name] = Object.fromEntries(records);
    const jobFiles: Snapshot['jobFiles'] = {};
    for (const id of state.collections.get('jobs')?.keys() ?? []) {
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
    return { format: SNAPSHOT_FORMAT, schemaVersion: SCHEMA_VERSION, exportedAt: new Date().toISOString(), data, jobFiles };
  }

  /** Replaces the whole state with a snapshot's (checked by the API against the snapshot schema) in one transaction. */
  importSnapshot(snapshot: Snapshot): Promise<void> {
    if (snapshot.schemaVersion > SCHEMA_VERSION) {
      throw invalid(`The snapshot was written by a newer Fleetlab (schema ${snapshot.schemaVersion}; this one reads up to ${SCHEMA_VERSION}).`);
    }
    const data = migrate({ ...snapshot.data, schemaVersion: snapshot.schemaVersion }, FLEETLAB_SCHEMA.migrations);
    const state = emptyState();
    for (const name of FLEETLAB_SCHEMA.collections) {
      const records = data[name];
      if (records === undefined) continue;
      const entries = Object.entries(records as Record<string, Record<string, unknown>>);
      const field = KEY_FIELDS[name];
      const stray = field && entries.find(([key, record]) => record[field] !== key);
      if (stray) throw invalid(`data.${name}["${stray[0]}"] has ${field} "${String(stray[1][field])}"; a record's ${field} must be its key.`);
      state.collections.set(name, new Map(entries));
    }
    for (const name of Object.keys(FLEETLAB_SCHEMA.singletons)) if (data[name] !== undefined) state.singletons.set(name, data[name]);
    const jobs = state.collections.get('jobs')!;
    for (const [id, record] of jobs) {
      const problem = jobRecordProblem(record as Record<string, unknown>);
      if (problem) throw invalid(`data.jobs["${id}"] is not a job Fleetlab can run: ${problem}.`);
    }
    for (const [id, record] of state.collections.get('awsJobs') ?? []) {
      const problem = awsJobRecordProblem(record as Record<string, unknown>);
      if (problem) throw invalid(`data.awsJobs["${id}"] is not an AWS job Fleetlab can show: ${problem}.`);
    }
    const cyclic = thingGroupInCycle(state.collections.get('thingGroups') ?? new Map());
    if (cyclic !== undefined) throw invalid(`data.thingGroups["${cyclic}"] is its own ancestor: a thing group's parents must end at a root group.`);
    const orphan = Object.keys(snapshot.jobFiles).find((id) => !jobs.has(id));
    if (orphan !== undefined) throw invalid(`jobFiles names job "${orphan}", which the snapshot's data.jobs does not have.`);
    return this.replace(state, snapshot.jobFiles);
  }

  private replace(state: StoreState, jobFiles: Snapshot['jobFiles']): Promise<void> {
    const replaced = this.replacing.then(async () => {
      this.scheduler.close();
      await this.engine.clear();
      try {
        for (const [id, { targets, status, times }] of Object.entries(jobFiles)) {
          const statusBytes = new Uint8Array(Buffer.from(status, 'base64'));
          await this.files.writeTargets(id, targets);
          await this.files.writeStatus(id, statusBytes);
          const timeBytes = times === undefined ? undefined : Buffer.from(times, 'base64');
          const deviceTimes = timeBytes && timeBytes.byteLength % 4 === 0 ? new Uint32Array(timeBytes.buffer.slice(timeBytes.byteOffset, timeBytes.byteOffset + timeBytes.byteLength)) : undefined;
          // A snapshot from before device times were kept: its devices have none.
          await this.files.writeTimes(id, deviceTimes ?? new Uint32Array(statusBytes.length * 2));
        }
        await this.store.replace(state);
      } finally {
        // Whether or not the new state could be saved, the engine and scheduler go on with what the store holds.
        await this.engine.recover();
        this.scheduler.start();
      }
    });
    this.replacing = replaced.catch(() => undefined);
    return replaced;
  }
}

/** The field that repeats a record's key, for the collections whose records have one. */
const KEY_FIELDS: Partial<Record<string, string>> = {
  apiTokens: 'id',
  deviceTemplates: 'id',
  devices: 'id',
  deletedFleetDevices: 'id',
  deviceGroups: 'id',
  organizations: 'id',
  jobs: 'id',
  scheduledJobs: 'id',
  thingGroups: 'name',
  jobTemplates: 'id',
  awsJobs: 'jobId',
  s3Buckets: 'name',
  certificates: 'id',
};

function emptyState(): StoreState {
  return { collections: new Map(), singletons: new Map() };
}
