import type { JobDeviceFiles } from '../../store/job-files.js';
import { messageOf, type DomainLog } from '../background.js';
import type { ClockTimers } from '../clock-timers.js';
import { WriteQueue } from '../devices/write-queue.js';
import { DomainError } from '../errors.js';
import type { DeviceSlice } from '../fleet-executor.js';
import type { SimulationClock } from '../simulation-clock.js';
import type { JobCheckpoints } from './job-checkpoints.js';
import { statusBeforeStart } from './job-device-index.js';
import type { JobRecord } from './job-model.js';
import { groupOf } from './job-spec.js';
import type { JobRuns } from './job-runs.js';
import { DeviceSet } from './device-set.js';

export interface JobQueueOptions {
  clock: SimulationClock;
  files: JobDeviceFiles<DeviceSlice[]>;
  timers: ClockTimers;
  runs: JobRuns;
  checkpoints: JobCheckpoints;
  log: DomainLog;
  /** Jobs running at once. */
  concurrency: number;
  /** Every job in creation order. */
  list(): JobRecord[];
  /** Whether the record is still the engine's job of its id (not deleted or replaced while it was being started). */
  isCurrent(job: JobRecord): boolean;
  resolveGroup(group: string): DeviceSlice[];
  /** Commits a change of the record, then applies it. */
  change(job: JobRecord, change: Partial<JobRecord>, drop?: (keyof JobRecord)[]): Promise<void>;
}

/** A job whose start time has come (it has none, or it is past). */
const isDue = (job: JobRecord, now: number) => (job.spec.window?.startAt ?? 0) <= now;

/**
 * Pending jobs waiting for a slot, started in creation order. A slot means one thing: a running job holds one, and a
 * pending job whose start time has come waits for one. A job scheduled for later takes none until its time comes.
 */
export class JobQueue {
  private pumping = Promise.resolve();
  /** A job's start, and the per-device changes that must not interleave with it (see JobLookup.outsideStart). */
  private readonly starts = new WriteQueue();
  private closed = false;
  /** Set while a reset or import replaces everything: queued jobs must not start on the state being replaced. */
  private suspended = false;

  constructor(private readonly options: JobQueueOptions) {}

  /** Whether a job asked for at `at` would start at once: a slot is free after the jobs holding or waiting for one. */
  hasSlotFor(at: number): boolean {
    return this.slotsTaken(at) < this.options.concurrency;
  }

  /** Starts a job scheduled for later when its time comes; like a job created while a slot is free, it starts at its time. */
  armStart(job: JobRecord): void {
    const startAt = job.spec.window?.startAt;
    if (startAt === undefined || startAt <= this.options.clock.now()) return;
    this.options.timers.set(job.id, 'start', startAt, 'timer', () => {
      if (job.status === 'pending' && this.slotsTaken(startAt, job) < this.options.concurrency) job.admittedAt = startAt;
      this.pump();
    });
  }

  /** Starts what the free slots allow, after whatever the queue is doing; never rejects. */
  pump(): void {
    this.pumping = this.pumping
      .then(() => this.startQueued())
      .catch((error: unknown) => this.options.log.error({ err: error }, `Starting queued jobs failed: ${messageOf(error)}`));
  }

  /** Resolves once the queue has started what was let in so far. */
  idle(): Promise<void> {
    return this.pumping;
  }

  /** Runs `release` once the queue has started what was let in so far. */
  after(release: () => void): void {
    this.pumping = this.pumping.finally(release);
  }

  /** Runs `write` while the job is not being started: a change made just before the start must reach its run. */
  outsideStart<T>(id: string, write: () => Promise<T>): Promise<T> {
    return this.starts.run(id, write);
  }

  suspend(): void {
    this.suspended = true;
  }

  resume(): void {
    this.suspended = false;
  }

  close(): void {
    this.closed = true;
  }

  /** Running jobs, plus pending ones due at `now` created before `before` (all of them without it). */
  private slotsTaken(now: number, before?: JobRecord): number {
    let taken = 0;
    for (const job of this.options.list()) {
      if (job.status === 'running') taken++;
      else if (job.status === 'pending' && job !== before && isDue(job, now) && (!before || job.seq < before.seq)) taken++;
    }
    return taken;
  }

  private async startQueued(): Promise<void> {
    if (this.closed || this.suspended) return;
    const { runs, list, concurrency } = this.options;
    for (const job of list()) {
      if (job.status === 'running' && !runs.has(job.id)) (await runs.load(job)).advance();
    }
    let running = list().filter((j) => j.status === 'running').length;
    const now = this.options.clock.now();
    for (const job of list().filter((j) => j.status === 'pending' && isDue(j, now))) {
      if (running >= concurrency) return;
      await this.starts.run(job.id, () => this.begin(job));
      if (job.status === 'running') running++;
    }
  }

  private async begin(job: JobRecord): Promise<void> {
    const { runs, clock, change } = this.options;
    const existing = runs.get(job.id);
    if (existing) {
      await change(job, { status: 'running' });
      existing.advance();
      return;
    }
    const start = job.admittedAt ?? clock.now();
    let slices: DeviceSlice[];
    try {
      slices = job.explicitTargets ?? this.options.resolveGroup(groupOf(job.spec) ?? '');
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await change(job, { status: 'failed', failure: error.message, start, end: clock.now() }, ['admittedAt']);
      return;
    }
    const set = new DeviceSet(slices);
    const status = statusBeforeStart(set, job.resolvedBeforeStart) ?? new Uint8Array(set.size);
    try {
      await this.options.files.create(job.id, slices, set.size);
      if (!this.options.isCurrent(job)) return;
      await change(job, { status: 'running', start, total: set.size, completed: 0, failed: 0 }, ['admittedAt', 'explicitTargets', 'resolvedBeforeStart']);
    } catch (error) {
      return this.failToStart(job, start, error);
    }
    runs.attach(job, set, status, 0).advance();
  }

  /** A job whose device list cannot be written fails with the reason (kept in memory when even that cannot be saved). */
  private async failToStart(job: JobRecord, start: number, error: unknown): Promise<void> {
    const failure = `Fleetlab could not save the job's device list: ${messageOf(error)}`;
    this.options.log.error({ err: error, job: job.id }, `Job "${job.id}" failed to start: ${failure}`);
    Object.assign(job, { status: 'failed', failure, start, end: this.options.clock.now() });
    delete job.admittedAt;
    await this.options.checkpoints.saveOrLog(job);
  }
}
