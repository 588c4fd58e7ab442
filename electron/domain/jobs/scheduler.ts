import { randomUUID } from 'node:crypto';
import type { AppStore } from '../../store/app-store.js';
import { conflict, DomainError, notFound } from '../errors.js';
import type { Cancel, SimulationClock } from '../simulation-clock.js';
import type { JobEngine } from './job-engine.js';
import type { JobDefinition, JobRecord } from './job-model.js';
import { nextRunIndex, occurrenceAt, type Schedule } from './recurrence.js';

export interface ScheduledJobRecord {
  id: string;
  etag: string;
  definition: JobDefinition;
  schedule: Schedule;
  enabled: boolean;
  completed: boolean;
  /** Runs started so far; instance n is named "<displayName> - <n>". */
  runs: number;
  /** Index of the next run (from 0), when one is due. */
  nextRun?: number;
}

export interface ScheduledJobInput {
  definition: JobDefinition;
  schedule: Schedule;
  enabled?: boolean;
}

/** Scheduled jobs: each run, on the engine's clock, creates a job instance on the group's membership at that time. */
export class JobScheduler {
  private readonly timers = new Map<string, Cancel>();

  constructor(
    private readonly store: AppStore,
    private readonly clock: SimulationClock,
    private readonly engine: JobEngine,
  ) {}

  private get records(): Record<string, ScheduledJobRecord> {
    return this.store.data.scheduledJobs as Record<string, ScheduledJobRecord>;
  }

  list(): ScheduledJobRecord[] {
    return Object.values(this.records);
  }

  get(id: string): ScheduledJobRecord {
    const record = this.records[id];
    if (!record) throw notFound('Scheduled job', id);
    return record;
  }

  nextRunTime(record: ScheduledJobRecord): number | undefined {
    return record.enabled && !record.completed && record.nextRun !== undefined ? occurrenceAt(record.schedule, record.nextRun) : undefined;
  }

  instances(id: string): JobRecord[] {
    this.get(id);
    return this.engine.list().filter((job) => job.definition.scheduledJobId === id);
  }

  /** Creates or replaces (PUT semantics); refused while one of its instances is still running. */
  async put(id: string, input: ScheduledJobInput, ifMatch?: string): Promise<ScheduledJobRecord> {
    const existing = this.records[id];
    if (existing) this.checkUpdatable(existing, ifMatch);
    else if (ifMatch !== undefined && ifMatch !== '*') throw new DomainError('PreconditionFailed', `Scheduled job "${id}" does not exist, so no ETag matches.`);
    this.engine.validate(input.definition);
    const record: ScheduledJobRecord = {
      id,
      etag: newEtag(),
      definition: input.definition,
      schedule: input.schedule,
      enabled: input.enabled ?? true,
      completed: false,
      runs: existing?.runs ?? 0,
    };
    this.records[id] = record;
    this.arm(record);
    await this.store.save();
    return record;
  }

  async remove(id: string, ifMatch?: string): Promise<void> {
    const record = this.get(id);
    checkEtag(record, ifMatch);
    this.timers.get(id)?.();
    this.timers.delete(id);
    delete this.records[id];
    await this.store.save();
  }

  /** Arms every enabled schedule, e.g. after a restart. */
  start(): void {
    for (const record of this.list()) this.arm(record);
  }

  close(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  checkUpdatable(record: ScheduledJobRecord, ifMatch?: string): void {
    checkEtag(record, ifMatch);
    const running = this.instances(record.id).find((job) => job.status === 'running' || job.status === 'pending');
    if (running) throw conflict(`Scheduled job "${record.id}" cannot be changed while its instance "${running.id}" is ${running.status}.`);
  }

  private arm(record: ScheduledJobRecord): void {
    this.timers.get(record.id)?.();
    this.timers.delete(record.id);
    record.nextRun = nextRunIndex(record.schedule, record.runs, this.clock.now());
    if (record.nextRun === undefined) {
      record.completed = true;
      return;
    }
    record.completed = false;
    if (!record.enabled) return;
    // A missed occurrence runs at once; an instance starts at the time its run was due.
    const dueAt = Math.max(occurrenceAt(record.schedule, record.nextRun), this.clock.now());
    this.timers.set(record.id, this.clock.schedule(dueAt, 'timer', () => void this.fire(record.id, dueAt)));
  }

  private async fire(id: string, dueAt: number): Promise<void> {
    const record = this.records[id];
    if (!record || !record.enabled || record.completed) return;
    this.timers.delete(id);
    record.runs = (record.nextRun ?? record.runs) + 1;
    const n = record.runs;
    const definition: JobDefinition = {
      ...structuredClone(record.definition),
      displayName: `${record.definition.displayName ?? id} - ${n}`,
      scheduledJobId: id,
    };
    // Armed before the instance is created, so that a clock advance spanning several runs fires each of them.
    this.arm(record);
    try {
      await this.engine.create(`${id}-${n}`, definition, {}, dueAt);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await this.engine.createFailed(`${id}-${n}`, definition, error.message);
    }
    await this.store.save();
  }
}

function checkEtag(record: ScheduledJobRecord, ifMatch: string | undefined): void {
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== record.etag) {
    throw new DomainError('PreconditionFailed', `The ETag ${ifMatch} does not match the scheduled job's current ETag ${record.etag}.`);
  }
}

const newEtag = () => `"${randomUUID()}"`;
