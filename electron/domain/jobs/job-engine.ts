import { storageErrorOf } from '../../store/storage-error.js';
import { messageOf, silentLog, Supervisor, type DomainLog } from '../background.js';
import type { ClockTimers } from '../clock-timers.js';
import { conflict, invalid } from '../errors.js';
import type { DeviceSlice } from '../fleet-executor.js';
import type { JobCheckpoints } from './job-checkpoints.js';
import type { JobCommandRun, JobDevice, JobDeviceIndex } from './job-device-index.js';
import type { ExternalOutcome, JobDeviceInfo, JobExecutions } from './job-executions.js';
import type { JobEngineOptions, Stage } from './job-engine-options.js';
import { isFinished, type JobRecord } from './job-model.js';
import { groupOf, type JobSpec, type JobSpecUpdate } from './job-spec.js';
import type { JobDeviceState } from './job-progress.js';
import type { JobQueue } from './job-queue.js';
import type { JobRecords } from './job-records.js';
import type { JobRuns } from './job-runs.js';
import { recoverJobs } from './job-recovery.js';
import type { JobWindow } from './job-window.js';
import { assembleEngine } from './engine-parts.js';

export type { FleetDirectory, JobEngineOptions, Stage } from './job-engine-options.js';

export type { JobDevice } from './job-device-index.js';
export type { JobDeviceInfo } from './job-executions.js';

/**
 * The job lifecycle: create, stop / resume / rerun, cancel, delete, recovery, over the queue (job-queue.ts), the runs
 * (job-runs.ts) and their durability (job-checkpoints.ts). The engine's job records are live (runs count into them); a
 * client's change is committed first and applied to them afterwards.
 */
export class JobEngine {
  private readonly jobs: JobRecords;
  private readonly timers: ClockTimers;
  private readonly checkpoints: JobCheckpoints;
  private readonly runs: JobRuns;
  private readonly queue: JobQueue;
  private readonly index: JobDeviceIndex;
  private readonly executions: JobExecutions;
  private readonly window: JobWindow;
  private readonly supervisor: Supervisor;
  private readonly log: DomainLog;
  private readonly notice: (message: string) => void;

  constructor(private readonly options: JobEngineOptions) {
    this.log = options.log ?? silentLog;
    this.supervisor = options.supervisor ?? new Supervisor(this.log);
    this.notice = options.onNotice ?? ((message) => this.log.warn({}, message));
    const parts = assembleEngine(options, this.log, this.supervisor, (id, stage) => this.flush(id, stage));
    ({ jobs: this.jobs, timers: this.timers, checkpoints: this.checkpoints, runs: this.runs, queue: this.queue } = parts);
    ({ index: this.index, executions: this.executions, window: this.window } = parts);
    this.jobs.reload();
  }

  /** Every job in creation order. */
  list(): JobRecord[] {
    return this.jobs.list();
  }

  get(id: string): JobRecord {
    return this.jobs.get(id);
  }

  /** Whether a job of that id exists (or is being created). */
  has(id: string): boolean {
    return this.jobs.has(id);
  }

  /** Checks a spec against the fleet: its group exists, each operation's capability and value fit its template. */
  validate(spec: JobSpec): void {
    const group = groupOf(spec);
    if (group !== undefined) this.options.fleet.resolveGroup(group);
    for (const op of spec.operations) {
      if (op.kind !== 'property' && op.kind !== 'command' && op.kind !== 'cloudProperty') continue;
      if (op.target === undefined || op.path === undefined) throw invalid(`A ${op.kind} operation needs "target" and "path".`);
      op.deviceValue = this.options.fleet.normalizeJobValue(op.target, op.kind, op.path, op.value);
    }
  }

  /**
   * Records the job (on disk before this resolves) and starts it when a slot is free; with a slot free now, its start is
   * `requestedAt`, read before any I/O because in virtual time a clock advance moves on while the job is saved.
   */
  async create(id: string, spec: JobSpec, extra: Partial<JobRecord> = {}, requestedAt?: number, stage?: Stage): Promise<JobRecord> {
    this.jobs.checkNewId(id);
    if (!extra.explicitTargets) this.validate(spec);
    // Virtual time stands still from the request until the job's devices are released, so `start` is the request time.
    const release = this.options.clock.hold();
    try {
      const at = requestedAt ?? this.options.clock.now();
      const startsNow = this.queue.hasSlotFor(at) && (spec.window?.startAt ?? 0) <= at;
      const build = (seq: number): JobRecord => ({ id, seq, spec, status: 'pending', completed: 0, failed: 0, ...(startsNow ? { admittedAt: at } : {}), ...extra });
      const record = await this.jobs.add(id, build, stage);
      this.window.arm(record);
      this.queue.pump();
      return record;
    } finally {
      // Released once the queue has started what this create let in; the queue's chain never rejects.
      this.queue.after(release);
    }
  }

  /** Records a job that could not run at all, e.g. a scheduled run whose group was deleted. */
  createFailed(id: string, spec: JobSpec, failure: string, stage?: Stage): Promise<JobRecord> {
    const now = this.options.clock.now();
    return this.jobs.add(id, (seq) => ({ id, seq, spec, status: 'failed', failure, start: now, end: now, completed: 0, failed: 0 }), stage);
  }

  async stop(id: string): Promise<void> {
    const job = this.get(id);
    if (job.status !== 'running' && job.status !== 'pending') {
      throw conflict(`Job "${id}" is ${job.status}; only a pending or running job can be stopped.`);
    }
    await this.jobs.change(job, { status: 'stopped' }, ['admittedAt']);
    this.queue.pump();
  }

  async resume(id: string): Promise<void> {
    const job = this.get(id);
    if (job.status !== 'stopped') throw conflict(`Job "${id}" is ${job.status}; only a stopped job can be resumed.`);
    await this.jobs.change(job, { status: 'pending' });
    this.queue.pump();
  }

  /** Changes what can change of a job's spec; a running job reads timeouts and retries on each attempt. */
  async update(id: string, change: JobSpecUpdate, stage?: Stage): Promise<void> {
    const job = this.get(id);
    await this.jobs.change(job, { spec: { ...job.spec, ...change } }, [], stage);
  }

  /** A new job with the same spec on the original's failed devices only. */
  async rerun(id: string, rerunId: string, stage?: Stage): Promise<JobRecord> {
    const original = this.get(id);
    const failed = await this.index.failedIds(original);
    if (failed.length === 0) throw invalid(`Job "${id}" has no failed devices to rerun.`);
    return this.create(rerunId, structuredClone(original.spec), { rerunOf: id, explicitTargets: [{ ids: failed }] }, undefined, stage);
  }

  /**
   * Cancels an unfinished job: devices not yet started never are; in-flight ones finish and are recorded, or with
   * `force` are abandoned (they stay pending). `force` also abandons what a plain cancel left in flight.
   */
  async cancel(id: string, force = false, stage?: Stage): Promise<void> {
    const job = this.get(id);
    const run = this.runs.get(id);
    if (isFinished(job.status) && !(force && run)) throw conflict(`Job "${id}" is ${job.status}; only an unfinished job can be cancelled.`);
    await this.jobs.change(job, { status: 'cancelled', ...(!run && { end: this.options.clock.now() }) }, [], stage);
    if (run && (force || run.inFlight === 0)) {
      if (force) run.forceStop();
      return this.runs.settle(run);
    }
    this.queue.pump();
  }

  /** Deletes a finished job and its device files; with `force` an unfinished one too, abandoning its run. */
  async remove(id: string, force = false, stage?: Stage): Promise<void> {
    const job = this.get(id);
    if (!isFinished(job.status) && !force) throw conflict(`Job "${id}" is ${job.status}; only a finished job can be deleted.`);
    await this.queue.idle();
    await this.jobs.remove(id, stage);
    this.runs.get(id)?.abandon();
    this.runs.delete(id);
    // Writes already queued for the job finish before its folder goes.
    await this.checkpoints.settled();
    this.index.forget(id);
    this.timers.cancel(id);
    try {
      await this.options.files.remove(id);
    } catch (error) {
      this.log.warn({ err: error, job: id }, `Job "${id}" was deleted but its device files could not be removed: ${messageOf(error)}`);
    }
    this.queue.pump();
  }

  /** How many of the job's devices its run has started so far (positions [0, released)); 0 when it is not running. */
  released(id: string): number {
    return this.runs.get(id)?.released ?? 0;
  }

  /** The job's device set and live status bytes (null before it starts), for views that scan them. */
  async deviceState(id: string): Promise<JobDeviceState> {
    const job = this.get(id);
    const { set, status } = await this.index.targetsOf(job);
    return { devices: set, status, ...(job.deviceErrors && { errors: job.deviceErrors }) };
  }

  /** When each device started and last answered, as ticks of TICK_MS after the job's start; null before it starts. */
  deviceTimes(id: string): Promise<Uint32Array | null> {
    return this.index.timesOf(this.get(id));
  }

  /** Devices of a job at positions [start, end), pending ones included; before the job starts, the group's members. */
  devices(id: string, start: number, end: number): Promise<{ total: number; devices: JobDevice[] }> {
    return this.index.devices(this.get(id), start, end);
  }

  /** The last command `path` a job ran on a device, for its command history. */
  lastCommandRun(deviceId: string, path: string): JobCommandRun | undefined {
    return this.index.lastCommandRun(this.list(), deviceId, path);
  }

  /** Property values jobs set on a device; a later job's value wins. */
  reportedProperties(deviceId: string): Record<string, unknown> {
    return this.index.reportedProperties(this.list(), deviceId);
  }

  /** A device's execution in a job, or undefined when the job does not target it. */
  deviceInfo(id: string, deviceId: string): Promise<JobDeviceInfo | undefined> {
    return this.executions.deviceInfo(id, deviceId);
  }

  /** Adds devices to the targets of a job that grows with them (those it has are skipped); returns how many were added. */
  appendTargets(id: string, slices: DeviceSlice[], stage?: Stage): Promise<number> {
    return this.executions.appendTargets(id, slices, stage);
  }

  /** An external device's agent reported its outcome for the job. */
  reportExternal(id: string, deviceId: string, outcome: ExternalOutcome, error?: string): void {
    this.executions.reportExternal(id, deviceId, outcome, error);
  }

  /** Cancels one device's execution: a queued one always, one in progress only with `force`. */
  cancelDevice(id: string, deviceId: string, force = false, stage?: Stage): Promise<void> {
    return this.executions.cancelDevice(id, deviceId, force, stage);
  }

  /** Removes one device's execution: a finished one always, others only with `force`. */
  removeDevice(id: string, deviceId: string, force = false, stage?: Stage): Promise<void> {
    return this.executions.removeDevice(id, deviceId, force, stage);
  }

  /** Picks up jobs that were running when the process stopped (or that a snapshot brought); in-flight devices are retried. */
  async recover(): Promise<void> {
    this.queue.resume();
    this.jobs.reload();
    const { clock, files } = this.options;
    const { runs, index, timers, checkpoints } = this;
    await recoverJobs(this.list(), { clock, files, runs, index, timers, checkpoints, armTimers: (job) => this.window.arm(job), notice: this.notice });
    this.queue.pump();
  }

  async close(): Promise<void> {
    this.queue.close();
    this.checkpoints.close();
    await this.queue.idle();
    await Promise.all(this.runs.all().map((run) => this.checkpoints.persist(run)));
    // Writes of runs that settled just before closing, so that nothing touches the data dir once close resolves.
    await this.checkpoints.settled();
  }

  /** Forgets every job run and per-job file, once the writes in flight have ended; the caller replaces the job records. */
  async clear(): Promise<void> {
    this.queue.suspend();
    await this.queue.idle();
    this.runs.abandonAll();
    this.index.clear();
    this.timers.cancelAll();
    await this.checkpoints.settled();
    this.jobs.clear();
    await this.options.files.removeAll();
  }

  /** Resolves once the job writes started so far (a finished job's last checkpoint among them) have ended. */
  writesSettled(): Promise<void> {
    return this.checkpoints.settled();
  }

  /** Makes a job's device states durable now (after a service changed one of its devices), with another service's writes. */
  async flush(id: string, stage?: Stage): Promise<void> {
    const run = this.runs.get(id);
    if (run && !(await this.checkpoints.persist(run))) throw storageErrorOf(this.checkpoints.failureOf(id), `the change to job "${id}"`);
    if (stage) await this.checkpoints.save(this.get(id), stage);
  }

}
