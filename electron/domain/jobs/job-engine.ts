import type { AppStore } from '../../store/app-store.js';
import type { JobDeviceFiles } from '../../store/job-files.js';
import { conflict, DomainError, invalid, notFound } from '../errors.js';
import type { DeviceSlice, FleetExecutor } from '../fleet-executor.js';
import type { SimulationClock } from '../simulation-clock.js';
import { DeviceSet } from './device-set.js';
import { JobRun, type DeviceBehaviors } from './job-run.js';
import { DEVICE_COMPLETED, DEVICE_PENDING, FAILED_BASE, deviceStatusOf, failureReasonOf, isFinished, type DeviceJobStatus, type JobDefinition, type JobRecord } from './job-model.js';
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
}

export interface JobDevice {
  id: string;
  status: DeviceJobStatus;
  error?: string;
}

/** The job lifecycle shared by every API dialect: queueing, runs, stop / resume / rerun, durability. */
export class JobEngine {
  private readonly runs = new Map<string, JobRun>();
  private readonly lastCheckpoint = new Map<string, number>();
  /** Device statuses of finished property jobs, kept so that devices report the values those jobs set. */
  private readonly finishedPropertyJobs = new Map<string, { devices: DeviceSet; status: Uint8Array }>();
  /** The finished job last read from disk: paging through a 1M-device job must not reread (and collect) 1 MB per page. */
  private lastFinishedRead?: { id: string; set: DeviceSet; status: Uint8Array | null };
  private readonly concurrency: number;
  private readonly checkpointMs: number;
  private pumping = Promise.resolve();
  private readonly writes = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: JobEngineOptions) {
    this.concurrency = options.concurrency ?? 5;
    this.checkpointMs = options.checkpointMs ?? 500;
  }

  private get jobs(): Record<string, JobRecord> {
    return this.options.store.data.jobs as Record<string, JobRecord>;
  }

  list(): JobRecord[] {
    return Object.values(this.jobs).sort((a, b) => a.seq - b.seq);
  }

  get(id: string): JobRecord {
    const job = this.jobs[id];
    if (!job) throw notFound('Job', id);
    return job;
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
  async create(id: string, definition: JobDefinition, extra: Partial<JobRecord> = {}, requestedAt?: number): Promise<JobRecord> {
    this.checkNewId(id);
    if (!extra.explicitTargets) this.validate(definition);
    // Virtual time stands still from the request until the job's devices are released, so `start` is the request time.
    const release = this.options.clock.hold();
    const admitted = this.hasFreeSlot() ? { admittedAt: requestedAt ?? this.options.clock.now() } : {};
    const record: JobRecord = { id, seq: this.nextSeq(), definition, status: 'pending', completed: 0, failed: 0, ...admitted, ...extra };
    this.jobs[id] = record;
    try {
      await this.options.store.save();
      this.pump();
    } finally {
      void this.pumping.finally(release);
    }
    return record;
  }

  /** Records a job that could not run at all, e.g. a scheduled run whose group was deleted. */
  async createFailed(id: string, definition: JobDefinition, failure: string): Promise<JobRecord> {
    this.checkNewId(id);
    const now = this.options.clock.now();
    const record: JobRecord = { id, seq: this.nextSeq(), definition, status: 'failed', failure, start: now, end: now, completed: 0, failed: 0 };
    this.jobs[id] = record;
    await this.options.store.save();
    return record;
  }

  private checkNewId(id: string): void {
    // Ids name the job's folder on disk; a rerun id reaches here unchecked by the spec.
    if (!/^[a-zA-Z0-9_-]{1,255}$/.test(id)) throw invalid(`Job id "${id}" is invalid: use 1 to 255 letters, digits, "_" and "-".`);
    if (this.jobs[id]) throw conflict(`A job with id "${id}" already exists; job ids cannot be reused.`);
  }

  private hasFreeSlot(): boolean {
    return this.list().filter((job) => job.status === 'running' || job.status === 'pending').length < this.concurrency;
  }

  private nextSeq(): number {
    return Object.values(this.jobs).reduce((max, job) => Math.max(max, job.seq), 0) + 1;
  }

  async stop(id: string): Promise<void> {
    const job = this.get(id);
    if (job.status !== 'running' && job.status !== 'pending') {
      throw conflict(`Job "${id}" is ${job.status}; only a pending or running job can be stopped.`);
    }
    job.status = 'stopped';
    delete job.admittedAt;
    await this.options.store.save();
    this.pump();
  }

  async resume(id: string): Promise<void> {
    const job = this.get(id);
    if (job.status !== 'stopped') throw conflict(`Job "${id}" is ${job.status}; only a stopped job can be resumed.`);
    job.status = 'pending';
    await this.options.store.save();
    this.pump();
  }

  /** A new job with the same definition on the original's failed devices only. */
  async rerun(id: string, rerunId: string): Promise<JobRecord> {
    const original = this.get(id);
    const failed = (await this.deviceStatus(original)).failedIds;
    if (failed.length === 0) throw invalid(`Job "${id}" has no failed devices to rerun.`);
    return this.create(rerunId, structuredClone(original.definition), { rerunOf: id, explicitTargets: [{ ids: failed }] });
  }

  /**
   * Cancels an unfinished job: devices not yet started never are; in-flight ones finish and are recorded, or with
   * `force` are abandoned (they stay pending). `force` also abandons what a plain cancel left in flight.
   */
  async cancel(id: string, force = false): Promise<void> {
    const job = this.get(id);
    const run = this.runs.get(id);
    if (isFinished(job.status) && !(force && run)) throw conflict(`Job "${id}" is ${job.status}; only an unfinished job can be cancelled.`);
    job.status = 'cancelled';
    if (run && (force || run.inFlight === 0)) {
      if (force) {
        run.abandon();
        run.inFlight = 0;
      }
      return this.settle(run);
    }
    if (!run) job.end = this.options.clock.now();
    await this.options.store.save();
    this.pump();
  }

  /** Deletes a finished job and its device files; with `force` an unfinished one too, abandoning its run. */
  async remove(id: string, force = false): Promise<void> {
    const job = this.get(id);
    if (!isFinished(job.status) && !force) throw conflict(`Job "${id}" is ${job.status}; only a finished job can be deleted.`);
    await this.pumping;
    const run = this.runs.get(id);
    run?.abandon();
    this.runs.delete(id);
    // Writes already queued for the job finish before its folder goes.
    if (run) await this.options.files.writeStatus(id, run.status);
    this.finishedPropertyJobs.delete(id);
    if (this.lastFinishedRead?.id === id) this.lastFinishedRead = undefined;
    delete this.jobs[id];
    await this.options.files.remove(id);
    await this.options.store.save();
    this.pump();
  }

  /** How many of the job's devices its run has started so far (positions [0, released)); 0 when it is not running. */
  released(id: string): number {
    return this.runs.get(id)?.released ?? 0;
  }

  /** The job's device set and live status bytes (null before it starts), for views that scan them. */
  async deviceState(id: string): Promise<JobDeviceState> {
    const { set, status } = await this.targetsOf(this.get(id));
    return { devices: set, status };
  }

  /** Devices of a job at positions [start, end), pending ones included; before the job starts, the group's members. */
  async devices(id: string, start: number, end: number): Promise<{ total: number; devices: JobDevice[] }> {
    const job = this.get(id);
    const { set, status } = await this.targetsOf(job);
    const devices: JobDevice[] = [];
    for (let p = start; p < Math.min(end, set.size); p++) {
      const byte = status?.[p] ?? DEVICE_PENDING;
      const error = failureReasonOf(byte);
      devices.push({ id: set.idAt(p), status: deviceStatusOf(byte), ...(error ? { error } : {}) });
    }
    return { total: set.size, devices };
  }

  /** Property values jobs set on a device; a later job's value wins. */
  reportedProperties(deviceId: string): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const job of this.list()) {
      const targets = this.runs.get(job.id) ?? this.finishedPropertyJobs.get(job.id);
      if (!targets) continue;
      const position = targets.devices.positionOf(deviceId);
      if (position < 0 || targets.status[position] !== DEVICE_COMPLETED) continue;
      for (const op of setsProperties(job)) values[op.path!] = op.deviceValue ?? op.value;
    }
    return values;
  }

  /** Picks up jobs that were running when the process stopped; in-flight devices are retried. */
  async recover(): Promise<void> {
    this.catchUpClock();
    for (const job of this.list()) {
      if (isFinished(job.status) && job.total !== undefined && setsProperties(job).length > 0) {
        const { set, status } = await this.targetsOf(job);
        if (status) this.finishedPropertyJobs.set(job.id, { devices: set, status });
      }
      if (job.status === 'cancelled' && job.end === undefined) job.end = this.options.clock.now();
      if ((job.status === 'running' || job.status === 'stopped') && job.total !== undefined) await this.load(job);
    }
    this.pump();
  }

  /** Simulated time restarts from real time; it must not run back behind times jobs recorded, or a job could end before it started. */
  private catchUpClock(): void {
    const latest = Math.max(...this.list().flatMap((job) => [job.admittedAt ?? 0, job.start ?? 0, job.end ?? 0]));
    const behind = latest - this.options.clock.now();
    if (behind > 0) this.options.clock.advance(behind);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pumping;
    await Promise.all([...this.runs.values()].map((run) => this.persist(run)));
    // Writes of runs that settled just before closing, so that nothing touches the data dir once close resolves.
    await Promise.allSettled([...this.writes]);
  }

  /** Forgets every job run and per-job file; the caller replaces the job records. */
  async clear(): Promise<void> {
    for (const run of this.runs.values()) run.abandon();
    this.runs.clear();
    this.finishedPropertyJobs.clear();
    this.lastFinishedRead = undefined;
    await this.pumping;
    await this.options.files.removeAll();
  }

  private pump(): void {
    this.pumping = this.pumping.then(() => this.startQueued()).catch(() => undefined);
  }

  private async startQueued(): Promise<void> {
    if (this.closed) return;
    for (const job of this.list()) {
      if (job.status === 'running' && !this.runs.has(job.id)) await this.load(job);
      const run = this.runs.get(job.id);
      if (job.status === 'running' && run && run.inFlight === 0) run.advance();
    }
    let running = this.list().filter((j) => j.status === 'running').length;
    for (const job of this.list().filter((j) => j.status === 'pending')) {
      if (running >= this.concurrency) return;
      await this.begin(job);
      if (job.status === 'running') running++;
    }
  }

  private async begin(job: JobRecord): Promise<void> {
    const existing = this.runs.get(job.id);
    if (existing) {
      job.status = 'running';
      await this.options.store.save();
      existing.advance();
      return;
    }
    const start = job.admittedAt ?? this.options.clock.now();
    delete job.admittedAt;
    let slices: DeviceSlice[];
    try {
      slices = job.explicitTargets ?? this.options.fleet.resolveGroup(job.definition.group).slices;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      Object.assign(job, { status: 'failed', failure: error.message, start, end: this.options.clock.now() });
      await this.options.store.save();
      return;
    }
    const set = new DeviceSet(slices);
    const status = new Uint8Array(set.size);
    await this.options.files.writeTargets(job.id, slices);
    await this.options.files.writeStatus(job.id, status);
    Object.assign(job, { status: 'running', start, total: set.size, completed: 0, failed: 0 });
    delete job.explicitTargets;
    await this.options.store.save();
    this.attach(job, set, status, 0).advance();
  }

  private async load(job: JobRecord): Promise<JobRun> {
    const existing = this.runs.get(job.id);
    if (existing) return existing;
    const { set, status } = await this.targetsOf(job);
    const bytes = status ?? new Uint8Array(set.size);
    job.completed = bytes.reduce((n, b) => n + (b === DEVICE_COMPLETED ? 1 : 0), 0);
    job.failed = bytes.reduce((n, b) => n + (b >= FAILED_BASE ? 1 : 0), 0);
    const size = batchSizeOf(job.definition.batch, set.size);
    const firstPending = bytes.indexOf(DEVICE_PENDING);
    // Batches restart at the batch boundary (its pending devices only); a rate-based rollout at the first pending device.
    const resumeAt = firstPending < 0 ? set.size : job.definition.rollout ? firstPending : Math.floor(firstPending / size) * size;
    return this.attach(job, set, bytes, resumeAt);
  }

  private attach(job: JobRecord, set: DeviceSet, status: Uint8Array, resumeAt: number): JobRun {
    const run = new JobRun(job, set, status, {
      clock: this.options.clock,
      executor: this.options.executor,
      behaviorFor: (slices) => this.options.fleet.behaviorFor(slices),
      seed: () => this.options.store.data.simulation.seed,
      checkpoint: (r, urgent) => this.checkpoint(r, urgent),
      settled: (r) => void this.settle(r),
      crashed: (r, error) => void this.fail(r, error),
    }, resumeAt);
    this.runs.set(job.id, run);
    return run;
  }

  private async targetsOf(job: JobRecord): Promise<{ set: DeviceSet; status: Uint8Array | null }> {
    const run = this.runs.get(job.id);
    if (run) return { set: run.devices, status: run.status };
    if (job.total === undefined) {
      const slices = job.explicitTargets ?? this.groupOrNothing(job.definition.group);
      return { set: new DeviceSet(slices), status: null };
    }
    if (this.lastFinishedRead?.id === job.id) return this.lastFinishedRead;
    const slices = (await this.options.files.readTargets(job.id)) ?? [];
    const read = { set: new DeviceSet(slices), status: await this.options.files.readStatus(job.id) };
    if (isFinished(job.status)) this.lastFinishedRead = { id: job.id, ...read };
    return read;
  }

  private groupOrNothing(group: string): DeviceSlice[] {
    try {
      return this.options.fleet.resolveGroup(group).slices;
    } catch {
      return [];
    }
  }

  private async deviceStatus(job: JobRecord): Promise<{ failedIds: string[] }> {
    const { set, status } = await this.targetsOf(job);
    const failedIds: string[] = [];
    status?.forEach((byte, p) => {
      if (byte >= FAILED_BASE) failedIds.push(set.idAt(p));
    });
    return { failedIds };
  }

  private checkpoint(run: JobRun, urgent: boolean): void {
    const now = this.options.clock.wallNow();
    if (!urgent && now - (this.lastCheckpoint.get(run.record.id) ?? 0) < this.checkpointMs) return;
    this.lastCheckpoint.set(run.record.id, now);
    void this.persist(run);
  }

  private async persist(run: JobRun): Promise<void> {
    const write = (async () => {
      await this.options.files.writeStatus(run.record.id, run.status);
      await this.options.store.save();
    })();
    this.writes.add(write);
    try {
      await write;
    } finally {
      this.writes.delete(write);
    }
  }

  private async settle(run: JobRun): Promise<void> {
    const job = run.record;
    if (run.inFlight > 0) return;
    if (job.status === 'running' && run.released >= run.total) job.status = 'complete';
    if (isFinished(job.status)) {
      job.end ??= this.options.clock.now();
      if (setsProperties(job).length > 0) this.finishedPropertyJobs.set(job.id, { devices: run.devices, status: run.status });
    }
    await this.persist(run);
    if (isFinished(job.status)) this.forgetRun(run);
    this.pump();
  }

  private async fail(run: JobRun, error: unknown): Promise<void> {
    Object.assign(run.record, { status: 'failed', failure: `The simulator failed: ${(error as Error).message}`, end: this.options.clock.now() });
    await this.persist(run);
    this.forgetRun(run);
    this.pump();
  }

  /** Only once its final status bytes are on disk: until then readers get them from the run, not the last checkpoint. */
  private forgetRun(run: JobRun): void {
    if (this.runs.get(run.record.id) === run) this.runs.delete(run.record.id);
  }
}

// Cloud property jobs set values too, without a device round-trip.
const setsProperties = (job: JobRecord) =>
  job.definition.data.filter((op) => (op.type === 'property' || op.type === 'cloudProperty') && op.path !== undefined);
