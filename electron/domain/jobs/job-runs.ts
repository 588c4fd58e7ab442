import { messageOf, type DomainLog, type Supervisor } from '../background.js';
import type { ClockTimers } from '../clock-timers.js';
import type { DeviceSlice, FleetExecutor } from '../fleet-executor.js';
import type { SimulationClock } from '../simulation-clock.js';
import type { DeviceSet } from './device-set.js';
import type { JobCheckpoints } from './job-checkpoints.js';
import type { JobDeviceIndex } from './job-device-index.js';
import { DEVICE_COMPLETED, DEVICE_PENDING, isFailure, isFinished, type JobRecord } from './job-model.js';
import { JobRun, type DeviceBehaviors } from './job-run.js';
import { batchOf } from './job-spec.js';
import type { RealDeviceAnswerer } from './real-device-answerer.js';
import { recurringWindowGate } from './recurring-windows.js';
import { batchSizeOf } from './release-policy.js';
import { readStoredRun } from './stored-run.js';
import type { JobDeviceFiles } from '../../store/job-files.js';

export interface JobRunsOptions {
  clock: SimulationClock;
  executor: FleetExecutor;
  files: JobDeviceFiles<DeviceSlice[]>;
  behaviorFor(slices: DeviceSlice[]): DeviceBehaviors;
  seed(): number;
  timers: ClockTimers;
  checkpoints: JobCheckpoints;
  index: JobDeviceIndex;
  supervisor: Supervisor;
  log: DomainLog;
  /** Hands released real devices their operation. */
  realDevices?: RealDeviceAnswerer;
  /** A run settled without finishing (stopped, or waiting for more targets): queued jobs may start. */
  pump(): void;
}

/** The runs of started jobs, by job id: how one is built or reloaded, and what happens when it settles or fails. */
export class JobRuns {
  private readonly runs = new Map<string, JobRun>();

  constructor(private readonly options: JobRunsOptions) {}

  /** The live runs, for readers of their devices and status bytes. */
  get live(): ReadonlyMap<string, JobRun> {
    return this.runs;
  }

  get(id: string): JobRun | undefined {
    return this.runs.get(id);
  }

  has(id: string): boolean {
    return this.runs.has(id);
  }

  all(): JobRun[] {
    return [...this.runs.values()];
  }

  delete(id: string): void {
    this.runs.delete(id);
  }

  /** Stops every run from applying outcomes and forgets them (a reset or import replaces their jobs). */
  abandonAll(): void {
    for (const run of this.runs.values()) run.abandon();
    this.runs.clear();
  }

  /** The run of a started job, from its files when it has none in memory (after a restart). */
  async load(job: JobRecord): Promise<JobRun> {
    const existing = this.runs.get(job.id);
    if (existing) return existing;
    const { set, status: bytes, times } = await readStoredRun(this.options.files, job);
    job.completed = bytes.reduce((n, b) => n + (b === DEVICE_COMPLETED ? 1 : 0), 0);
    job.failed = bytes.reduce((n, b) => n + (isFailure(b) ? 1 : 0), 0);
    // Targets appended just before a crash are on disk before the record counts them.
    job.total = set.size;
    const size = batchSizeOf(batchOf(job.spec), set.size);
    const firstPending = bytes.indexOf(DEVICE_PENDING);
    // Batches restart at the batch boundary (its pending devices only); a rate-based release at the first pending device.
    const resumeAt =
      firstPending < 0 || job.releaseStopped ? set.size : job.spec.release.kind === 'rate' ? firstPending : Math.floor(firstPending / size) * size;
    return this.attach(job, set, bytes, resumeAt, times);
  }

  attach(job: JobRecord, set: DeviceSet, status: Uint8Array, resumeAt: number, times?: Uint32Array): JobRun {
    const { options } = this;
    const run = new JobRun(job, set, status, {
      clock: options.clock,
      timers: options.timers,
      executor: options.executor,
      behaviorFor: (slices) => options.behaviorFor(slices),
      seed: () => options.seed(),
      checkpoint: (r, urgent) => options.checkpoints.checkpoint(r, urgent),
      settled: (r) => options.supervisor.run(`Settling job "${r.record.id}"`, () => this.settle(r)),
      crashed: (r, error) => options.supervisor.run(`Recording the failure of job "${r.record.id}"`, () => this.fail(r, error)),
      gate: recurringWindowGate(job.spec.window?.recurring),
      externalReleased: (r, ids) => options.realDevices?.released(r.record, ids),
    }, resumeAt, times);
    this.runs.set(job.id, run);
    return run;
  }

  /** With nothing in flight: completes a run that released every device, and saves a finished one's end. */
  async settle(run: JobRun): Promise<void> {
    const job = run.record;
    if (run.inFlight > 0) return;
    // A job that grows with its targets waits for devices added to them until it is cancelled or stops releasing.
    const waitsForTargets = job.spec.growsWithTargets === true && !job.releaseStopped;
    if (job.status === 'running' && run.released >= run.total && !waitsForTargets) job.status = 'complete';
    if (isFinished(job.status)) {
      job.end ??= this.options.clock.now();
      this.options.index.rememberFinished(job, run);
      this.options.timers.cancel(job.id);
      return this.options.checkpoints.persistFinal(run);
    }
    await this.options.checkpoints.persist(run);
    this.options.pump();
  }

  /** Only once its final status bytes are on disk: until then readers get them from the run, not the last checkpoint. */
  forget(run: JobRun): void {
    if (this.runs.get(run.record.id) === run) this.runs.delete(run.record.id);
  }

  private async fail(run: JobRun, error: unknown): Promise<void> {
    this.options.log.error({ err: error, job: run.record.id }, `The simulator failed on job "${run.record.id}": ${messageOf(error)}`);
    Object.assign(run.record, { status: 'failed', failure: `The simulator failed: ${messageOf(error)}`, end: this.options.clock.now() });
    await this.options.checkpoints.persistFinal(run);
  }
}
