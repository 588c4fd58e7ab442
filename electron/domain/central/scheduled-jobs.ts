import type { Supervisor } from '../background.js';
import { conflict, DomainError, notFound } from '../errors.js';
import { checkEtag, newEtag } from '../etag.js';
import type { AppStore } from '../persisted.js';
import { ClockTimers } from '../clock-timers.js';
import type { SimulationClock } from '../simulation-clock.js';
import type { JobEngine, Stage } from '../jobs/job-engine.js';
import type { JobSpec } from '../jobs/job-spec.js';
import type { CentralJob, CentralJobs } from './central-jobs.js';
import type { CentralJobEcho, ScheduledJobRecord } from './central-records.js';
import { nextRunIndex, occurrenceAt, type Schedule } from './recurrence.js';

export type { ScheduledJobRecord } from './central-records.js';

export interface ScheduledJobInput {
  spec: JobSpec;
  echo: CentralJobEcho;
  schedule: Schedule;
  enabled?: boolean;
}

/**
 * Scheduled jobs: each run, on the engine's clock, creates a job instance on the group's membership at that time. The
 * records here are live (`nextRun` and `completed` follow the clock); changes are committed first, then applied.
 */
export class JobScheduler {
  private readonly timers: ClockTimers;
  private readonly records = new Map<string, ScheduledJobRecord>();

  constructor(
    private readonly store: AppStore,
    private readonly clock: SimulationClock,
    private readonly engine: JobEngine,
    private readonly jobs: CentralJobs,
    private readonly supervisor: Supervisor,
  ) {
    this.timers = new ClockTimers(clock);
  }

  list(): ScheduledJobRecord[] {
    return [...this.records.values()];
  }

  get(id: string): ScheduledJobRecord {
    const record = this.records.get(id);
    if (!record) throw notFound('Scheduled job', id);
    return record;
  }

  nextRunTime(record: ScheduledJobRecord): number | undefined {
    return record.enabled && !record.completed && record.nextRun !== undefined ? occurrenceAt(record.schedule, record.nextRun) : undefined;
  }

  instances(id: string): CentralJob[] {
    this.get(id);
    return this.jobs.instancesOf(id);
  }

  /** Creates or replaces (PUT semantics); refused while one of its instances is still running. */
  async put(id: string, input: ScheduledJobInput, ifMatch?: string): Promise<ScheduledJobRecord> {
    const existing = this.records.get(id);
    if (existing) this.checkUpdatable(existing, ifMatch);
    else if (ifMatch !== undefined && ifMatch !== '*') throw new DomainError('PreconditionFailed', `Scheduled job "${id}" does not exist, so no ETag matches.`);
    this.engine.validate(input.spec);
    const record: ScheduledJobRecord = {
      id,
      etag: newEtag(),
      spec: input.spec,
      echo: input.echo,
      schedule: input.schedule,
      enabled: input.enabled ?? true,
      completed: false,
      runs: existing?.runs ?? 0,
    };
    this.plan(record);
    await this.store.commit((tx) => tx.put('scheduledJobs', id, structuredClone(record)));
    this.records.set(id, record);
    this.arm(record);
    return record;
  }

  async remove(id: string, ifMatch?: string): Promise<void> {
    const record = this.get(id);
    checkEtag('Scheduled job', record, ifMatch);
    await this.store.commit((tx) => tx.delete('scheduledJobs', id));
    this.timers.cancel(id);
    this.records.delete(id);
  }

  /** Loads the stored schedules and arms every enabled one: at start, and after a reset or snapshot import. */
  start(): void {
    this.records.clear();
    for (const record of this.store.repository('scheduledJobs').list()) this.records.set(record.id, structuredClone(record));
    for (const record of this.list()) this.arm(record);
  }

  close(): void {
    this.timers.cancelAll();
  }

  checkUpdatable(record: ScheduledJobRecord, ifMatch?: string): void {
    checkEtag('Scheduled job', record, ifMatch);
    const running = this.instances(record.id).find(({ job }) => job.status === 'running' || job.status === 'pending')?.job;
    if (running) throw conflict(`Scheduled job "${record.id}" cannot be changed while its instance "${running.id}" is ${running.status}.`);
  }

  /** The next run's index, or completed when there is none: derived from the schedule, the runs so far and the clock. */
  private plan(record: ScheduledJobRecord): void {
    record.nextRun = nextRunIndex(record.schedule, record.runs, this.clock.now());
    record.completed = record.nextRun === undefined;
    if (record.completed) delete record.nextRun;
  }

  private arm(record: ScheduledJobRecord): void {
    this.timers.cancel(record.id);
    this.plan(record);
    if (record.nextRun === undefined || !record.enabled) return;
    // A missed occurrence runs at once; an instance starts at the time its run was due.
    const dueAt = Math.max(occurrenceAt(record.schedule, record.nextRun), this.clock.now());
    this.timers.set(record.id, 'run', dueAt, 'timer', () => this.supervisor.run(`Scheduled job "${record.id}"`, () => this.fire(record.id, dueAt)));
  }

  /**
   * Creates the run's job instance, and counts the run in the same transaction. A run that cannot be created (its group
   * is gone) is recorded as a failed job; one whose id is taken (a job created by hand) gets the next free id.
   */
  private async fire(id: string, dueAt: number): Promise<void> {
    const record = this.records.get(id);
    if (!record || !record.enabled || record.completed) return;
    const n = (record.nextRun ?? record.runs) + 1;
    const displayName = `${record.echo.displayName ?? id} - ${n}`;
    const spec: JobSpec = { ...structuredClone(record.spec), displayName };
    const counted: ScheduledJobRecord = { ...structuredClone(record), runs: n };
    const jobId = this.freeJobId(`${id}-${n}`);
    const instance = this.jobs.stageOf({ id: jobId, echo: { ...structuredClone(record.echo), displayName }, scheduledJobId: id });
    const stage: Stage = (tx) => {
      tx.put('scheduledJobs', id, counted);
      instance(tx);
    };
    // Counted and armed before the instance is saved, so that a clock advance spanning several runs fires each of them;
    // a run that cannot be saved at all (a full disk) is skipped, and the supervisor logs why.
    record.runs = n;
    this.arm(record);
    try {
      await this.engine.create(jobId, spec, {}, dueAt, stage);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await this.engine.createFailed(jobId, spec, error.message, stage);
    }
  }

  private freeJobId(wanted: string): string {
    if (!this.engine.has(wanted)) return wanted;
    for (let k = 2; ; k++) if (!this.engine.has(`${wanted}-${k}`)) return `${wanted}-${k}`;
  }
}
