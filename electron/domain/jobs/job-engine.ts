import path from 'node:path';
import { CorruptJobFileError, type JobDeviceFiles, type JobFileName } from '../../store/job-files.js';
import { storageErrorOf } from '../../store/storage-error.js';
import type { Transaction } from '../../store/store.js';
import { messageOf, silentLog, Supervisor, type DomainLog } from '../background.js';
import { conflict, DomainError, invalid, notFound } from '../errors.js';
import type { AppStore, FleetlabSchema } from '../persisted.js';
import type { DeviceSlice, FleetExecutor } from '../fleet-executor.js';
import type { SimulationClock } from '../simulation-clock.js';
import { DeviceSet } from './device-set.js';
import { WriteQueue } from '../devices/write-queue.js';
import { JobDeviceIndex, statusBeforeStart, type JobCommandRun, type JobDevice } from './job-device-index.js';
import { JobExecutions, type ExternalOutcome, type JobDeviceInfo } from './job-executions.js';
import type { RealDeviceAnswerer } from './real-device-answerer.js';
import { JobRun, type DeviceBehaviors, type ReleaseGate } from './job-run.js';
import { DEVICE_COMPLETED, DEVICE_PENDING, isFailure, isFinished, type JobDefinition, type JobRecord } from './job-model.js';
import { batchSizeOf } from './release-policy.js';
import type { JobDeviceState } from './job-progress.js';

/** What the engine needs to know about the fleet; the device catalog provides it. */
export interface FleetDirectory {
  /** The group's current members in a stable order; throws NotFound for an unknown group. */
  resolveGroup(groupId: string): { slices: DeviceSlice[]; total: number };
  behaviorFor(slices: DeviceSlice[]): DeviceBehaviors;
  /** The value devices receive for a capability, normalised to its schema; throws InvalidInput when it does not fit. */
  normalizeJobValue(templateId: string, kind: 'property' | 'command' | 'cloudProperty', path: string, value: unknown): unknown;
}

export interface JobEngineOptions {
  store: AppStore;
  files: JobDeviceFiles<DeviceSlice[]>;
  clock: SimulationClock;
  executor: FleetExecutor;
  fleet: FleetDirectory;
  /** Jobs running at once; more wait as `pending`. */
  concurrency?: number;
  /** Real milliseconds between progress checkpoints of a running job. */
  checkpointMs?: number;
  /** The release gate for a definition's maintenance windows, if it has any. */
  gateFor?: (definition: JobDefinition) => ReleaseGate | undefined;
  /** Runs checkpoints, settling and timers; its failures are logged. */
  supervisor?: Supervisor;
  log?: DomainLog;
  /** Where the engine reports what a user must know: a job file moved aside. */
  onNotice?: (message: string) => void;
  /** Hands released real devices their operation (IoT Hub devices over MQTT); their answers come back as reportExternal. */
  realDevices?: RealDeviceAnswerer;
}

/** Writes of another service that commit in the same transaction as the engine's. */
export type Stage = (tx: Transaction<FleetlabSchema>) => void;

const JOB_ID = /^[a-zA-Z0-9_-]{1,255}$/;

export type { JobDevice } from './job-device-index.js';

export type { JobDeviceInfo } from './job-executions.js';

/**
 * The job lifecycle shared by every API dialect: queueing, runs, stop / resume / rerun, durability. The engine's job
 * records are live (runs count into them); a client's change is committed first and applied to them afterwards.
 */
export class JobEngine {
  private readonly jobs = new Map<string, JobRecord>();
  /** Ids of jobs being created: a second create of the same id must not pass while the first is being saved. */
  private readonly creating = new Set<string>();
  private lastSeq = 0;
  private readonly runs = new Map<string, JobRun>();
  private readonly lastCheckpoint = new Map<string, number>();
  private readonly index: JobDeviceIndex;
  private readonly executions: JobExecutions;
  private readonly timers = new Map<string, (() => void)[]>();
  /** A job's start, and the per-device changes that must not interleave with it (see JobLookup.outsideStart). */
  private readonly starts = new WriteQueue();
  private readonly concurrency: number;
  private readonly checkpointMs: number;
  private pumping = Promise.resolve();
  private readonly writes = new Set<Promise<boolean>>();
  /** Each run's checkpoint being written, and the one waiting for it. */
  private readonly persisting = new Map<JobRun, Promise<boolean>>();
  private readonly persistAfter = new Map<JobRun, Promise<boolean>>();
  /** Jobs whose last checkpoint failed, with why: logged once when it starts failing, once when it catches up. */
  private readonly failingWrites = new Map<string, unknown>();
  private readonly retries = new Set<NodeJS.Timeout>();
  private readonly supervisor: Supervisor;
  private readonly log: DomainLog;
  private readonly notice: (message: string) => void;
  private closed = false;
  /** Set while a reset or import replaces everything: queued jobs must not start on the state being replaced. */
  private suspended = false;

  constructor(private readonly options: JobEngineOptions) {
    this.concurrency = options.concurrency ?? 5;
    this.checkpointMs = options.checkpointMs ?? 500;
    this.log = options.log ?? silentLog;
    this.supervisor = options.supervisor ?? new Supervisor(this.log);
    this.notice = options.onNotice ?? ((message) => this.log.warn({}, message));
    this.index = new JobDeviceIndex(options.files, this.runs, (group) => this.groupOrNothing(group));
    this.executions = new JobExecutions(
      {
        get: (id) => this.get(id),
        runOf: (id) => this.runs.get(id),
        update: (job, change, stage) => this.change(job, change, [], stage),
        flush: (id, stage) => this.flush(id, stage),
        outsideStart: (id, write) => this.starts.run(id, write),
      },
      this.index,
      options.files,
    );
    this.reload();
  }

  list(): JobRecord[] {
    return [...this.jobs.values()].sort((a, b) => a.seq - b.seq);
  }

  get(id: string): JobRecord {
    const job = this.jobs.get(id);
    if (!job) throw notFound('Job', id);
    return job;
  }

  /** Whether a job of that id exists (or is being created). */
  has(id: string): boolean {
    return this.jobs.has(id) || this.creating.has(id);
  }

  /** Checks a definition against the fleet: the group exists, each operation's capability and value fit its template. */
  validate(definition: JobDefinition): void {
    this.options.fleet.resolveGroup(definition.group);
    for (const op of definition.data) {
      if (op.type !== 'property' && op.type !== 'command' && op.type !== 'cloudProperty') continue;
      if (op.target === undefined || op.path === undefined) throw invalid(`A ${op.typeAsSent} operation needs "target" and "path".`);
      op.deviceValue = this.options.fleet.normalizeJobValue(op.target, op.type, op.path, op.value);
    }
  }

  /**
   * Records the job (on disk before this resolves) and starts it when a slot is free; with a slot free now, its start is
   * `requestedAt`, read before any I/O because in virtual time a clock advance moves on while the job is saved.
   */
  async create(id: string, definition: JobDefinition, extra: Partial<JobRecord> = {}, requestedAt?: number, stage?: Stage): Promise<JobRecord> {
    this.checkNewId(id);
    if (!extra.explicitTargets) this.validate(definition);
    // Virtual time stands still from the request until the job's devices are released, so `start` is the request time.
    const release = this.options.clock.hold();
    this.creating.add(id);
    try {
      const at = requestedAt ?? this.options.clock.now();
      const startsNow = this.hasFreeSlot() && (definition.notBefore ?? 0) <= at;
      const record: JobRecord = { id, seq: ++this.lastSeq, definition, status: 'pending', completed: 0, failed: 0, ...(startsNow ? { admittedAt: at } : {}), ...extra };
      await this.save(record, stage);
      this.jobs.set(id, record);
      this.armTimers(record);
      this.pump();
      return record;
    } finally {
      this.creating.delete(id);
      // Released once the queue has started what this create let in; the queue's chain never rejects.
      this.pumping = this.pumping.finally(release);
    }
  }

  /** Records a job that could not run at all, e.g. a scheduled run whose group was deleted. */
  async createFailed(id: string, definition: JobDefinition, failure: string, stage?: Stage): Promise<JobRecord> {
    this.checkNewId(id);
    const now = this.options.clock.now();
    const record: JobRecord = { id, seq: ++this.lastSeq, definition, status: 'failed', failure, start: now, end: now, completed: 0, failed: 0 };
    this.creating.add(id);
    try {
      await this.save(record, stage);
    } finally {
      this.creating.delete(id);
    }
    this.jobs.set(id, record);
    return record;
  }

  private checkNewId(id: string): void {
    // Ids name the job's folder on disk; a rerun id reaches here unchecked by the spec.
    if (!JOB_ID.test(id)) throw invalid(`Job id "${id}" is invalid: use 1 to 255 letters, digits, "_" and "-".`);
    if (this.has(id)) throw conflict(`A job with id "${id}" already exists; job ids cannot be reused.`);
  }

  private hasFreeSlot(): boolean {
    return this.list().filter((job) => job.status === 'running' || job.status === 'pending').length < this.concurrency;
  }

  /** Commits a copy of the record (with another service's writes); the live record is not touched. */
  private save(record: JobRecord, stage?: Stage): Promise<void> {
    const copy = structuredClone(record);
    return this.options.store.commit((tx) => {
      tx.put('jobs', record.id, copy);
      stage?.(tx);
    });
  }

  /** A client's change to a job: durable first, then applied to the live record. */
  private async change(job: JobRecord, change: Partial<JobRecord>, drop: (keyof JobRecord)[] = [], stage?: Stage): Promise<void> {
    const next: JobRecord = { ...job, ...change };
    for (const key of drop) delete next[key];
    // In virtual time the clock would run on while the change is saved: a cancel at an end time must stop releases then.
    const release = this.options.clock.hold();
    try {
      await this.save(next, stage);
      Object.assign(job, change);
      for (const key of drop) delete job[key];
    } finally {
      release();
    }
  }

  async stop(id: string): Promise<void> {
    const job = this.get(id);
    if (job.status !== 'running' && job.status !== 'pending') {
      throw conflict(`Job "${id}" is ${job.status}; only a pending or running job can be stopped.`);
    }
    await this.change(job, { status: 'stopped' }, ['admittedAt']);
    this.pump();
  }

  async resume(id: string): Promise<void> {
    const job = this.get(id);
    if (job.status !== 'stopped') throw conflict(`Job "${id}" is ${job.status}; only a stopped job can be resumed.`);
    await this.change(job, { status: 'pending' });
    this.pump();
  }

  /** Changes settings of a job's definition (AWS UpdateJob); a running job reads timeouts and retries on each attempt. */
  async updateDefinition(id: string, change: Partial<JobDefinition>, stage?: Stage): Promise<void> {
    const job = this.get(id);
    await this.change(job, { definition: { ...job.definition, ...change } }, [], stage);
  }

  /** A new job with the same definition on the original's failed devices only. */
  async rerun(id: string, rerunId: string): Promise<JobRecord> {
    const original = this.get(id);
    const failed = await this.index.failedIds(original);
    if (failed.length === 0) throw invalid(`Job "${id}" has no failed devices to rerun.`);
    return this.create(rerunId, structuredClone(original.definition), { rerunOf: id, explicitTargets: [{ ids: failed }] });
  }

  /**
   * Cancels an unfinished job: devices not yet started never are; in-flight ones finish and are recorded, or with
   * `force` are abandoned (they stay pending). `force` also abandons what a plain cancel left in flight.
   */
  async cancel(id: string, force = false, stage?: Stage): Promise<void> {
    const job = this.get(id);
    const run = this.runs.get(id);
    if (isFinished(job.status) && !(force && run)) throw conflict(`Job "${id}" is ${job.status}; only an unfinished job can be cancelled.`);
    await this.change(job, { status: 'cancelled', ...(!run && { end: this.options.clock.now() }) }, [], stage);
    if (run && (force || run.inFlight === 0)) {
      if (force) {
        run.abandon();
        run.inFlight = 0;
      }
      return this.settle(run);
    }
    this.pump();
  }

  /** Deletes a finished job and its device files; with `force` an unfinished one too, abandoning its run. */
  async remove(id: string, force = false, stage?: Stage): Promise<void> {
    const job = this.get(id);
    if (!isFinished(job.status) && !force) throw conflict(`Job "${id}" is ${job.status}; only a finished job can be deleted.`);
    await this.pumping;
    await this.options.store.commit((tx) => {
      tx.delete('jobs', id);
      stage?.(tx);
    });
    this.jobs.delete(id);
    const run = this.runs.get(id);
    run?.abandon();
    this.runs.delete(id);
    // Writes already queued for the job finish before its folder goes.
    await Promise.allSettled([...this.writes]);
    this.index.forget(id);
    this.cancelTimers(id);
    try {
      await this.options.files.remove(id);
    } catch (error) {
      this.log.warn({ err: error, job: id }, `Job "${id}" was deleted but its device files could not be removed: ${messageOf(error)}`);
    }
    this.pump();
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

  /** Adds devices to a continuous job's targets (those it already has are skipped); returns how many were added. */
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
    this.suspended = false;
    this.reload();
    this.catchUpClock();
    for (const job of this.list()) {
      if (!isFinished(job.status)) this.armTimers(job);
      if (job.status === 'cancelled' && job.end === undefined) job.end = this.options.clock.now();
      if (job.total === undefined) continue;
      try {
        if (isFinished(job.status)) {
          const { set, status } = await this.readDeviceFiles(job);
          this.index.rememberFinished(job, { devices: set, status });
        } else if (job.status === 'running') (await this.load(job)).advance();
        else await this.load(job);
      } catch (error) {
        if (!(error instanceof CorruptJobFileError)) throw error;
        await this.setAside(job, error);
      }
    }
    this.pump();
  }

  /** A started job's files, each checked: present, intact, and sized for the job's targets. */
  private async readDeviceFiles(job: JobRecord): Promise<{ set: DeviceSet; status: Uint8Array; times: Uint32Array }> {
    const { files } = this.options;
    const targets = await files.readTargets(job.id);
    if (!targets) throw new CorruptJobFileError(job.id, 'targets.json', 'is missing');
    const set = new DeviceSet(targets);
    const status = await files.readStatus(job.id);
    if (!status) throw new CorruptJobFileError(job.id, 'status.bin', 'is missing');
    const times = await files.readTimes(job.id);
    if (!times) throw new CorruptJobFileError(job.id, 'times.bin', 'is missing');
    return { set, status: fitToTargets(job, 'status.bin', status, set.size, 1), times: fitToTargets(job, 'times.bin', times, set.size, 2) };
  }

  /** Renames the file aside, names it in a notice, and fails its job; the other jobs carry on. */
  private async setAside(job: JobRecord, error: CorruptJobFileError): Promise<void> {
    const aside = await this.options.files.moveAside(job.id, error.file);
    const where = aside ? `; moved aside as ${aside}` : '';
    this.notice(`Job "${job.id}": its ${error.file} ${error.reason}${where}. The job is marked failed; its other files are kept.`);
    this.runs.delete(job.id);
    this.cancelTimers(job.id);
    this.index.forget(job.id);
    Object.assign(job, {
      status: 'failed',
      failure: `The job's device file ${error.file} ${error.reason}${aside ? ` (moved aside as ${path.basename(aside)})` : ''}.`,
      end: job.end ?? this.options.clock.now(),
    });
    await this.save(job).catch((again: unknown) => this.log.warn({ err: again, job: job.id }, `The failure of job "${job.id}" is not saved yet: ${messageOf(again)}`));
  }

  /** Simulated time restarts from real time; it must not run back behind times jobs recorded, or a job could end before it started. */
  private catchUpClock(): void {
    const latest = Math.max(...this.list().flatMap((job) => [job.admittedAt ?? 0, job.start ?? 0, job.end ?? 0]));
    const behind = latest - this.options.clock.now();
    if (behind > 0) this.options.clock.advance(behind);
  }

  /** The live records from the store's: at start, and after a reset or snapshot import replaced them. */
  private reload(): void {
    this.jobs.clear();
    for (const record of this.options.store.repository('jobs').list()) this.jobs.set(record.id, structuredClone(record));
    this.lastSeq = Math.max(this.lastSeq, ...[...this.jobs.values()].map((job) => job.seq));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pumping;
    await Promise.all([...this.runs.values()].map((run) => this.persist(run)));
    for (const retry of this.retries) clearTimeout(retry);
    // Writes of runs that settled just before closing, so that nothing touches the data dir once close resolves.
    await Promise.allSettled([...this.writes]);
  }

  /** Forgets every job run and per-job file, once the writes in flight have ended; the caller replaces the job records. */
  async clear(): Promise<void> {
    this.suspended = true;
    await this.pumping;
    for (const run of this.runs.values()) run.abandon();
    this.runs.clear();
    this.index.clear();
    for (const id of this.timers.keys()) this.cancelTimers(id);
    await Promise.allSettled([...this.writes]);
    this.jobs.clear();
    await this.options.files.removeAll();
  }

  /** Makes a job's device states durable now (after a service changed one of its devices), with another service's writes. */
  async flush(id: string, stage?: Stage): Promise<void> {
    const run = this.runs.get(id);
    if (run && !(await this.persist(run))) throw storageErrorOf(this.failingWrites.get(id), `the change to job "${id}"`);
    if (stage) await this.save(this.get(id), stage);
  }

  private pump(): void {
    this.pumping = this.pumping
      .then(() => this.startQueued())
      .catch((error: unknown) => this.log.error({ err: error }, `Starting queued jobs failed: ${messageOf(error)}`));
  }

  private async startQueued(): Promise<void> {
    if (this.closed || this.suspended) return;
    for (const job of this.list()) {
      if (job.status === 'running' && !this.runs.has(job.id)) (await this.load(job)).advance();
    }
    let running = this.list().filter((j) => j.status === 'running').length;
    const now = this.options.clock.now();
    for (const job of this.list().filter((j) => j.status === 'pending' && (j.definition.notBefore ?? 0) <= now)) {
      if (running >= this.concurrency) return;
      await this.begin(job);
      if (job.status === 'running') running++;
    }
  }

  private begin(job: JobRecord): Promise<void> {
    return this.starts.run(job.id, () => this.beginNow(job));
  }

  private async beginNow(job: JobRecord): Promise<void> {
    const existing = this.runs.get(job.id);
    if (existing) {
      await this.change(job, { status: 'running' });
      existing.advance();
      return;
    }
    const start = job.admittedAt ?? this.options.clock.now();
    let slices: DeviceSlice[];
    try {
      slices = job.explicitTargets ?? this.options.fleet.resolveGroup(job.definition.group).slices;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await this.change(job, { status: 'failed', failure: error.message, start, end: this.options.clock.now() }, ['admittedAt']);
      return;
    }
    const set = new DeviceSet(slices);
    const status = statusBeforeStart(set, job.resolvedBeforeStart) ?? new Uint8Array(set.size);
    try {
      await this.options.files.create(job.id, slices, set.size);
      if (this.jobs.get(job.id) !== job) return;
      await this.change(job, { status: 'running', start, total: set.size, completed: 0, failed: 0 }, ['admittedAt', 'explicitTargets', 'resolvedBeforeStart']);
    } catch (error) {
      return this.failToStart(job, start, error);
    }
    this.attach(job, set, status, 0).advance();
  }

  /** A job whose device list cannot be written fails with the reason (kept in memory when even that cannot be saved). */
  private async failToStart(job: JobRecord, start: number, error: unknown): Promise<void> {
    const failure = `Fleetlab could not save the job's device list: ${messageOf(error)}`;
    this.log.error({ err: error, job: job.id }, `Job "${job.id}" failed to start: ${failure}`);
    Object.assign(job, { status: 'failed', failure, start, end: this.options.clock.now() });
    delete job.admittedAt;
    await this.save(job).catch((again: unknown) => this.log.warn({ err: again, job: job.id }, `The failure of job "${job.id}" is not saved yet: ${messageOf(again)}`));
  }

  private async load(job: JobRecord): Promise<JobRun> {
    const existing = this.runs.get(job.id);
    if (existing) return existing;
    const { set, status: bytes, times } = await this.readDeviceFiles(job);
    job.completed = bytes.reduce((n, b) => n + (b === DEVICE_COMPLETED ? 1 : 0), 0);
    job.failed = bytes.reduce((n, b) => n + (isFailure(b) ? 1 : 0), 0);
    const size = batchSizeOf(job.definition.batch, set.size);
    const firstPending = bytes.indexOf(DEVICE_PENDING);
    // Batches restart at the batch boundary (its pending devices only); a rate-based rollout at the first pending device.
    const resumeAt = firstPending < 0 ? set.size : job.definition.rollout ? firstPending : Math.floor(firstPending / size) * size;
    return this.attach(job, set, bytes, resumeAt, times);
  }

  private attach(job: JobRecord, set: DeviceSet, status: Uint8Array, resumeAt: number, times?: Uint32Array): JobRun {
    const run = new JobRun(job, set, status, {
      clock: this.options.clock,
      executor: this.options.executor,
      behaviorFor: (slices) => this.options.fleet.behaviorFor(slices),
      seed: () => this.options.store.get('simulation').seed,
      checkpoint: (r, urgent) => this.checkpoint(r, urgent),
      settled: (r) => this.supervisor.run(`Settling job "${r.record.id}"`, () => this.settle(r)),
      crashed: (r, error) => this.supervisor.run(`Recording the failure of job "${r.record.id}"`, () => this.fail(r, error)),
      gate: this.options.gateFor?.(job.definition),
      externalReleased: (r, ids) => this.options.realDevices?.released(r.record, ids),
    }, resumeAt, times);
    this.runs.set(job.id, run);
    return run;
  }

  /** Starts a job scheduled for later when its time comes, and applies its end behaviour at its end time. */
  private armTimers(job: JobRecord): void {
    this.cancelTimers(job.id);
    const { notBefore, endAt } = job.definition;
    const cancels: (() => void)[] = [];
    if (notBefore !== undefined && notBefore > this.options.clock.now()) {
      cancels.push(
        this.options.clock.schedule(notBefore, 'timer', () => {
          // Like a job created while a slot is free: it starts at its time, whatever a clock advance does meanwhile.
          const running = this.list().filter((j) => j.status === 'running').length;
          if (job.status === 'pending' && running < this.concurrency) job.admittedAt = notBefore;
          this.pump();
        }),
      );
    }
    if (endAt) {
      cancels.push(this.options.clock.schedule(endAt.at, 'timer', () => this.supervisor.run(`Ending job "${job.id}" at its end time`, () => this.end(job.id, endAt.behavior))));
    }
    if (cancels.length > 0) this.timers.set(job.id, cancels);
  }

  private cancelTimers(id: string): void {
    for (const cancel of this.timers.get(id) ?? []) cancel();
    this.timers.delete(id);
  }

  /**
   * A job's end time is the engine's own event, like a threshold: applied at once, so that releases due later in the same
   * clock advance do not run, and saved afterwards.
   */
  private async end(id: string, behavior: 'STOP_ROLLOUT' | 'CANCEL' | 'FORCE_CANCEL'): Promise<void> {
    const job = this.jobs.get(id);
    if (!job || isFinished(job.status)) return;
    const run = this.runs.get(id);
    if (behavior === 'STOP_ROLLOUT' && run) return run.stopRollout();
    job.status = 'cancelled';
    if (!run) {
      job.end = this.options.clock.now();
      await this.save(job);
      return this.pump();
    }
    if (behavior === 'FORCE_CANCEL') {
      run.abandon();
      run.inFlight = 0;
    }
    if (run.inFlight === 0) return this.settle(run);
    this.checkpoint(run, true);
  }

  private groupOrNothing(group: string): DeviceSlice[] {
    try {
      return this.options.fleet.resolveGroup(group).slices;
    } catch {
      return [];
    }
  }

  private checkpoint(run: JobRun, urgent: boolean): void {
    const now = this.options.clock.wallNow();
    if (!urgent && now - (this.lastCheckpoint.get(run.record.id) ?? 0) < this.checkpointMs) return;
    this.lastCheckpoint.set(run.record.id, now);
    this.supervisor.run(`Checkpoint of job "${run.record.id}"`, () => this.persist(run));
  }

  /**
   * Writes the blocks the run changed since its last checkpoint, then the job record. Never rejects: a failed write
   * (a full disk) leaves its blocks to the next checkpoint, and the engine logs it once; false until it succeeds.
   */
  private persist(run: JobRun): Promise<boolean> {
    const current = this.persisting.get(run);
    if (!current) return this.persistNow(run);
    // One checkpoint of a job at a time, so that copies of changed blocks cannot pile up behind a slow disk: a later
    // one waits, then takes every change made meanwhile.
    let next = this.persistAfter.get(run);
    if (!next) {
      next = current.then(() => {
        this.persistAfter.delete(run);
        return this.persistNow(run);
      });
      this.persistAfter.set(run, next);
    }
    return next;
  }

  private async persistNow(run: JobRun): Promise<boolean> {
    if (run.isAbandoned) return true;
    const id = run.record.id;
    const changes = run.takeChanges();
    const write = (async () => {
      try {
        await this.options.files.writeChanges(id, changes);
      } catch (error) {
        run.keepChanges(changes);
        return this.writeFailed(id, error, 'its device files could not be written');
      }
      try {
        if (this.jobs.get(id) === run.record) await this.save(run.record);
      } catch (error) {
        return this.writeFailed(id, error, 'its record could not be saved');
      }
      if (this.failingWrites.delete(id)) this.log.info({ job: id }, `Progress of job "${id}" is saved again.`);
      return true;
    })();
    this.writes.add(write);
    this.persisting.set(run, write);
    try {
      return await write;
    } finally {
      this.writes.delete(write);
      this.persisting.delete(run);
    }
  }

  private writeFailed(id: string, error: unknown, what: string): false {
    if (!this.failingWrites.has(id)) {
      this.log.error({ err: error, job: id }, `A checkpoint of job "${id}" failed: ${what} (${messageOf(error)}). The job keeps running; the next checkpoint tries again.`);
    }
    this.failingWrites.set(id, error);
    return false;
  }

  /** A finished run stays readable from memory until its last checkpoint is on disk, retried while the disk refuses it. */
  private async persistFinal(run: JobRun): Promise<void> {
    if (await this.persist(run)) {
      this.forgetRun(run);
      this.pump();
    } else if (!this.closed) {
      const retry = setTimeout(() => {
        this.retries.delete(retry);
        this.supervisor.run(`Saving the end of job "${run.record.id}"`, () => this.persistFinal(run));
      }, this.checkpointMs);
      this.retries.add(retry);
    }
  }

  private async settle(run: JobRun): Promise<void> {
    const job = run.record;
    if (run.inFlight > 0) return;
    // A continuous job waits for devices added to its targets until it is cancelled.
    if (job.status === 'running' && run.released >= run.total && !job.definition.continuous) job.status = 'complete';
    if (isFinished(job.status)) {
      job.end ??= this.options.clock.now();
      this.index.rememberFinished(job, run);
      this.cancelTimers(job.id);
    }
    if (isFinished(job.status)) return this.persistFinal(run);
    await this.persist(run);
    this.pump();
  }

  private async fail(run: JobRun, error: unknown): Promise<void> {
    this.log.error({ err: error, job: run.record.id }, `The simulator failed on job "${run.record.id}": ${messageOf(error)}`);
    Object.assign(run.record, { status: 'failed', failure: `The simulator failed: ${messageOf(error)}`, end: this.options.clock.now() });
    await this.persistFinal(run);
  }

  /** Only once its final status bytes are on disk: until then readers get them from the run, not the last checkpoint. */
  private forgetRun(run: JobRun): void {
    if (this.runs.get(run.record.id) === run) this.runs.delete(run.record.id);
  }
}

/**
 * The file's values for the job's devices. A continuous job's files and targets may disagree on the count after a
 * crash while it grew: devices only one of them has were just added, so they are pending.
 */
function fitToTargets<T extends Uint8Array | Uint32Array>(job: JobRecord, file: JobFileName, values: T, devices: number, perDevice: number): T {
  const held = values.length / perDevice;
  if (held === devices) return values;
  if (!job.definition.continuous || (held > devices && values.subarray(devices * perDevice).some((v) => v !== 0))) {
    throw new CorruptJobFileError(job.id, file, `holds ${held} devices where the job's targets have ${devices}`);
  }
  const fitted = new (values.constructor as new (n: number) => T)(devices * perDevice);
  fitted.set(values.subarray(0, Math.min(values.length, fitted.length)));
  return fitted;
}
