import type { JobDeviceFiles } from '../../store/job-files.js';
import { conflict, notFound } from '../errors.js';
import type { DeviceSlice } from '../fleet-executor.js';
import { DeviceSet } from './device-set.js';
import type { JobDeviceIndex } from './job-device-index.js';
import { DEVICE_CANCELED, DEVICE_COMPLETED, DEVICE_PENDING, DEVICE_REMOVED, FAILED_BASE, IN_PROGRESS_TIMEOUT, isFinished, type JobRecord } from './job-model.js';
import type { JobRun } from './job-run.js';
import { untargeted } from './target-append.js';
import type { Stage } from './job-engine-options.js';

/** A device's execution in a job, for views that show per-device detail. */
export interface JobDeviceInfo {
  position: number;
  status: number;
  /** The release policy has started (notified) the device. */
  released: boolean;
  awaitingAgent: boolean;
  startedAt?: number;
  updatedAt?: number;
  attempts: number;
}

/** Status bytes for what an external device's agent reports, reusing the simulator's reasons. */
const EXTERNAL_OUTCOMES = {
  succeeded: DEVICE_COMPLETED,
  failed: FAILED_BASE + 2,
  rejected: FAILED_BASE,
  timedOut: IN_PROGRESS_TIMEOUT,
  /** A property write the device never acknowledged. */
  notAcknowledged: FAILED_BASE + 1,
  /** A command the device was not connected for. */
  unreachable: FAILED_BASE + 3,
} as const;

export type ExternalOutcome = keyof typeof EXTERNAL_OUTCOMES;

/** What per-device operations need of the engine. */
export interface JobLookup {
  get(id: string): JobRecord;
  runOf(id: string): JobRun | undefined;
  /** Commits a change of a job record (with another service's writes), then applies it. */
  update(job: JobRecord, change: Partial<JobRecord>, stage?: Stage): Promise<void>;
  /** Makes a job's device states durable now, with another service's writes. */
  flush(id: string, stage?: Stage): Promise<void>;
  /** Runs `write` while the job is not being started: a change made just before the start must reach its run. */
  outsideStart<T>(id: string, write: () => Promise<T>): Promise<T>;
}

/** Per-device executions of jobs: their state and times, external agents' answers, and changes the service makes. */
export class JobExecutions {
  constructor(
    private readonly jobs: JobLookup,
    private readonly index: JobDeviceIndex,
    private readonly files: JobDeviceFiles<DeviceSlice[]>,
  ) {}

  /** A device's execution in a job, or undefined when the job does not target it. */
  async deviceInfo(id: string, deviceId: string): Promise<JobDeviceInfo | undefined> {
    const job = this.jobs.get(id);
    const run = this.jobs.runOf(id);
    const { set, status } = await this.index.targetsOf(job);
    const position = set.positionOf(deviceId);
    if (position < 0) return undefined;
    const times = run ? run.deviceTimes(position) : await this.index.storedTimes(job, position);
    return {
      position,
      status: status?.[position] ?? DEVICE_PENDING,
      released: run ? position < run.released : job.total !== undefined && (status?.[position] ?? DEVICE_PENDING) !== DEVICE_PENDING,
      awaitingAgent: run?.isAwaitingAgent(position) ?? false,
      ...times,
      attempts: run?.attemptsOf(position) ?? 0,
    };
  }

  /** Adds devices to the targets of a job that grows with them (those it has are skipped); returns how many were added. */
  appendTargets(id: string, slices: DeviceSlice[], stage?: Stage): Promise<number> {
    // A job being started reads its targets once: devices added meanwhile must wait for the run, or they are lost.
    return this.jobs.outsideStart(id, async () => {
      const job = this.jobs.get(id);
      if (!job.spec.growsWithTargets) throw conflict(`Job "${id}" does not grow with its targets; they were fixed when it started.`);
      if (isFinished(job.status)) throw conflict(`Job "${id}" is ${job.status}; devices cannot be added to it.`);
      const { set } = await this.index.targetsOf(job);
      const run = this.jobs.runOf(id);
      const targeted = run ? (deviceId: string) => run.targets(deviceId) : (deviceId: string) => set.positionOf(deviceId) >= 0;
      const fresh = untargeted(slices, set, targeted);
      const added = new DeviceSet(fresh).size;
      if (added === 0) {
        if (stage) await this.jobs.update(job, {}, stage);
        return 0;
      }
      if (run) {
        await this.files.appendTargets(id, fresh);
        // The targets on disk have them now: so must the run, or a retry after a failed update would add them twice.
        run.extend(fresh);
        await this.jobs.update(job, {}, stage);
        await this.jobs.flush(id);
      } else {
        await this.jobs.update(job, { explicitTargets: [...(job.explicitTargets ?? set.slices), ...fresh] }, stage);
      }
      return added;
    });
  }

  /** An external device's agent reported its outcome for the job. */
  reportExternal(id: string, deviceId: string, outcome: ExternalOutcome, error?: string): void {
    const run = this.jobs.runOf(id);
    const position = run?.devices.positionOf(deviceId) ?? -1;
    if (!run || position < 0 || !run.isAwaitingAgent(position)) throw conflict(`Device "${deviceId}" has no execution of job "${id}" in progress.`);
    run.reportExternal(position, EXTERNAL_OUTCOMES[outcome], error);
  }

  /** Cancels one device's execution: a queued one always, one in progress only with `force`. */
  async cancelDevice(id: string, deviceId: string, force = false, stage?: Stage): Promise<void> {
    await this.resolveDevice(id, deviceId, DEVICE_CANCELED, (info) => force || !info.released || info.awaitingAgent, stage);
  }

  /** Removes one device's execution: a finished one always, others only with `force`. */
  removeDevice(id: string, deviceId: string, force = false, stage?: Stage): Promise<void> {
    return this.jobs.outsideStart(id, async () => {
      const job = this.jobs.get(id);
      const info = await this.deviceInfo(id, deviceId);
      if (!info) throw notFound('Job execution', `${id}/${deviceId}`);
      if (info.status === DEVICE_PENDING && !force) throw conflict(`The execution of job "${id}" on "${deviceId}" is not finished; delete it with force.`);
      const run = this.jobs.runOf(id);
      if (!run && job.total === undefined) return this.resolveBeforeStart(job, deviceId, DEVICE_REMOVED, stage);
      if (info.status === DEVICE_PENDING) {
        run?.resolveByService(info.position, DEVICE_REMOVED);
      } else if (run) {
        run.setStatus(info.position, DEVICE_REMOVED);
      } else {
        const { status } = await this.index.targetsOf(job);
        if (status) status[info.position] = DEVICE_REMOVED;
        if (status) await this.files.writeStatus(id, status);
      }
      await this.jobs.flush(id, stage);
    });
  }

  private resolveDevice(id: string, deviceId: string, byte: number, allowed: (info: JobDeviceInfo) => boolean, stage?: Stage): Promise<void> {
    return this.jobs.outsideStart(id, async () => {
      const job = this.jobs.get(id);
      const info = await this.deviceInfo(id, deviceId);
      if (!info) throw notFound('Job execution', `${id}/${deviceId}`);
      if (info.status !== DEVICE_PENDING) throw conflict(`The execution of job "${id}" on "${deviceId}" has already finished.`);
      if (!allowed(info)) throw conflict(`The execution of job "${id}" on "${deviceId}" is in progress; cancel it with force.`);
      const run = this.jobs.runOf(id);
      if (run) run.resolveByService(info.position, byte);
      else if (job.total === undefined) return this.resolveBeforeStart(job, deviceId, byte, stage);
      else {
        const { status } = await this.index.targetsOf(job);
        if (status) status[info.position] = byte;
        if (status) await this.files.writeStatus(id, status);
      }
      await this.jobs.flush(id, stage);
    });
  }

  /** A job without a run has no status bytes yet: the byte is kept in its record until the start writes them. */
  private resolveBeforeStart(job: JobRecord, deviceId: string, byte: number, stage?: Stage): Promise<void> {
    return this.jobs.update(job, { resolvedBeforeStart: { ...job.resolvedBeforeStart, [deviceId]: byte } }, stage);
  }
}
