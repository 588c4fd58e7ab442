import type { JobDeviceFiles } from '../../store/job-files.js';
import type { DeviceSlice } from '../fleet-executor.js';
import { DeviceSet, joinIdSlices } from './device-set.js';
import { deviceTimesAt } from './device-times.js';
import { DEVICE_COMPLETED, DEVICE_PENDING, deviceStatusOf, failureReasonOf, isFailure, isFinished, type DeviceJobStatus, type JobRecord } from './job-model.js';
import { groupOf } from './job-spec.js';
import type { JobRun } from './job-run.js';

export interface JobDevice {
  id: string;
  status: DeviceJobStatus;
  error?: string;
}

export interface JobTargets {
  set: DeviceSet;
  /** Null before the job starts: every device pending. */
  status: Uint8Array | null;
}

// Cloud property jobs set values too, without a device round-trip.
const setsProperties = (job: JobRecord) =>
  job.spec.operations.filter((op) => (op.kind === 'property' || op.kind === 'cloudProperty') && op.path !== undefined);

const runsCommand = (job: JobRecord, path: string) => job.spec.operations.find((op) => op.kind === 'command' && op.path === path);

/** A command a job ran on a device: the device's last answer to it in that job. */
export interface JobCommandRun {
  jobId: string;
  /** Simulated ms: when the job ended, or now for a job still running. */
  at?: number;
  request?: unknown;
  succeeded: boolean;
}

/**
 * Where a job's devices and their statuses are read from: the live run, the finished jobs kept in memory, or the job's
 * files. Finished property and command jobs stay in memory so that devices report the values those jobs set and the
 * commands they ran.
 */
export class JobDeviceIndex {
  private readonly finishedDeviceJobs = new Map<string, { devices: DeviceSet; status: Uint8Array }>();
  /** The finished job last read from disk: paging through a 1M-device job must not reread (and collect) 1 MB per page. */
  private lastFinishedRead?: { id: string } & JobTargets;
  /** Likewise its device times (8 MB for 1M devices), read on the first per-device lookup. */
  private lastFinishedTimes?: { id: string; times: Uint32Array | null };

  constructor(
    private readonly files: JobDeviceFiles<DeviceSlice[]>,
    private readonly runs: { get(id: string): JobRun | undefined },
    private readonly groupMembers: (group: string) => DeviceSlice[],
  ) {}

  async targetsOf(job: JobRecord): Promise<JobTargets> {
    const run = this.runs.get(job.id);
    if (run) return { set: run.devices, status: run.status };
    if (job.total === undefined) {
      const group = groupOf(job.spec);
      const set = new DeviceSet(job.explicitTargets ?? (group === undefined ? [] : this.groupMembers(group)));
      return { set, status: statusBeforeStart(set, job.resolvedBeforeStart) };
    }
    if (this.lastFinishedRead?.id === job.id) return this.lastFinishedRead;
    const slices = (await this.files.readTargets(job.id)) ?? [];
    const read = { set: new DeviceSet(joinIdSlices(slices)), status: await this.files.readStatus(job.id) };
    if (isFinished(job.status)) this.lastFinishedRead = { id: job.id, ...read };
    return read;
  }

  /** Devices at positions [start, end), pending ones included. */
  async devices(job: JobRecord, start: number, end: number): Promise<{ total: number; devices: JobDevice[] }> {
    const { set, status } = await this.targetsOf(job);
    const devices: JobDevice[] = [];
    for (let p = start; p < Math.min(end, set.size); p++) {
      const byte = status?.[p] ?? DEVICE_PENDING;
      const id = set.idAt(p);
      const error = isFailure(byte) ? (job.deviceErrors?.[id] ?? failureReasonOf(byte)) : failureReasonOf(byte);
      devices.push({ id, status: deviceStatusOf(byte), ...(error ? { error } : {}) });
    }
    return { total: set.size, devices };
  }

  async failedIds(job: JobRecord): Promise<string[]> {
    const { set, status } = await this.targetsOf(job);
    const ids: string[] = [];
    status?.forEach((byte, p) => {
      if (isFailure(byte)) ids.push(set.idAt(p));
    });
    return ids;
  }

  /** Property values jobs set on a device, jobs in creation order so that a later job's value wins. */
  reportedProperties(jobs: readonly JobRecord[], deviceId: string): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const job of jobs) {
      const targets = this.runs.get(job.id) ?? this.finishedDeviceJobs.get(job.id);
      if (!targets) continue;
      const position = targets.devices.positionOf(deviceId);
      if (position < 0 || targets.status[position] !== DEVICE_COMPLETED) continue;
      for (const op of setsProperties(job)) values[op.path!] = op.deviceValue ?? op.value;
    }
    return values;
  }

  /** The last job run of a command on a device that the device finished (completed or failed), newest job first. */
  lastCommandRun(jobs: readonly JobRecord[], deviceId: string, path: string): JobCommandRun | undefined {
    for (let i = jobs.length - 1; i >= 0; i--) {
      const job = jobs[i]!;
      const op = runsCommand(job, path);
      const targets = op && (this.runs.get(job.id) ?? this.finishedDeviceJobs.get(job.id));
      if (!targets) continue;
      const position = targets.devices.positionOf(deviceId);
      const status = position < 0 ? DEVICE_PENDING : targets.status[position]!;
      if (status !== DEVICE_COMPLETED && !isFailure(status)) continue;
      return { jobId: job.id, ...(job.end !== undefined && { at: job.end }), ...(op.value !== undefined && { request: op.deviceValue ?? op.value }), succeeded: status === DEVICE_COMPLETED };
    }
    return undefined;
  }

  rememberFinished(job: JobRecord, targets: { devices: DeviceSet; status: Uint8Array }): void {
    if (setsProperties(job).length > 0 || job.spec.operations.some((op) => op.kind === 'command')) this.finishedDeviceJobs.set(job.id, targets);
  }

  /** The job's per-device times (see TICK_MS), from its run or its file; null before it starts. */
  async timesOf(job: JobRecord): Promise<Uint32Array | null> {
    const run = this.runs.get(job.id);
    if (run) return run.times;
    if (job.total === undefined) return null;
    if (this.lastFinishedTimes?.id === job.id) return this.lastFinishedTimes.times;
    const times = await this.files.readTimes(job.id);
    if (isFinished(job.status)) this.lastFinishedTimes = { id: job.id, times };
    return times;
  }

  /** Simulated ms at which a device was started and last updated. */
  async storedTimes(job: JobRecord, position: number): Promise<{ startedAt?: number; updatedAt?: number }> {
    if (job.start === undefined) return {};
    return deviceTimesAt(await this.timesOf(job), job.start, position);
  }

  forget(id: string): void {
    this.finishedDeviceJobs.delete(id);
    if (this.lastFinishedRead?.id === id) this.lastFinishedRead = undefined;
    if (this.lastFinishedTimes?.id === id) this.lastFinishedTimes = undefined;
  }

  clear(): void {
    this.finishedDeviceJobs.clear();
    this.lastFinishedRead = undefined;
    this.lastFinishedTimes = undefined;
  }
}

/** The status bytes of a job that has not started: pending, but for the devices the service already resolved. */
export function statusBeforeStart(set: DeviceSet, resolved: Record<string, number> | undefined): Uint8Array | null {
  if (resolved === undefined) return null;
  const status = new Uint8Array(set.size);
  for (const [deviceId, byte] of Object.entries(resolved)) {
    const position = set.positionOf(deviceId);
    if (position >= 0) status[position] = byte;
  }
  return status;
}
