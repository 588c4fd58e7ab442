import { conflict, invalid, notFound } from '../errors.js';
import type { AppStore } from '../persisted.js';
import type { SimulationClock } from '../simulation-clock.js';
import type { JobCheckpoints } from './job-checkpoints.js';
import type { Stage } from './job-engine-options.js';
import type { JobRecord } from './job-model.js';

const JOB_ID = /^[a-zA-Z0-9_-]{1,255}$/;

/**
 * The engine's live job records (runs count into them), by id. A change is committed first and applied to the live
 * record afterwards; a new record is saved before it is listed.
 */
export class JobRecords {
  private readonly jobs = new Map<string, JobRecord>();
  /** Ids of jobs being created: a second create of the same id must not pass while the first is being saved. */
  private readonly creating = new Set<string>();
  private lastSeq = 0;

  constructor(
    private readonly store: AppStore,
    private readonly clock: SimulationClock,
    private readonly checkpoints: JobCheckpoints,
  ) {}

  /** Every job in creation order. */
  list(): JobRecord[] {
    return [...this.jobs.values()].sort((a, b) => a.seq - b.seq);
  }

  get(id: string): JobRecord {
    const job = this.jobs.get(id);
    if (!job) throw notFound('Job', id);
    return job;
  }

  find(id: string): JobRecord | undefined {
    return this.jobs.get(id);
  }

  /** Whether the record is still the live job of its id (not deleted or replaced meanwhile). */
  isCurrent(job: JobRecord): boolean {
    return this.jobs.get(job.id) === job;
  }

  /** Whether a job of that id exists (or is being created). */
  has(id: string): boolean {
    return this.jobs.has(id) || this.creating.has(id);
  }

  /** Saves a new record built from its sequence number (with another service's writes), then lists it. */
  async add(id: string, build: (seq: number) => JobRecord, stage?: Stage): Promise<JobRecord> {
    this.checkNewId(id);
    const record = build(++this.lastSeq);
    this.creating.add(id);
    try {
      await this.checkpoints.save(record, stage);
    } finally {
      this.creating.delete(id);
    }
    this.jobs.set(id, record);
    return record;
  }

  checkNewId(id: string): void {
    // Ids name the job's folder on disk; a rerun id reaches here unchecked by the spec.
    if (!JOB_ID.test(id)) throw invalid(`Job id "${id}" is invalid: use 1 to 255 letters, digits, "_" and "-".`);
    if (this.has(id)) throw conflict(`A job with id "${id}" already exists; job ids cannot be reused.`);
  }

  /** A change to a job: durable first, then applied to the live record. */
  async change(job: JobRecord, change: Partial<JobRecord>, drop: (keyof JobRecord)[] = [], stage?: Stage): Promise<void> {
    const next: JobRecord = { ...job, ...change };
    for (const key of drop) delete next[key];
    // In virtual time the clock would run on while the change is saved: a cancel at an end time must stop releases then.
    const release = this.clock.hold();
    try {
      await this.checkpoints.save(next, stage);
      Object.assign(job, change);
      for (const key of drop) delete job[key];
    } finally {
      release();
    }
  }

  /** Deletes the job's record (with another service's writes), then forgets it. */
  async remove(id: string, stage?: Stage): Promise<void> {
    await this.store.commit((tx) => {
      tx.delete('jobs', id);
      stage?.(tx);
    });
    this.jobs.delete(id);
  }

  clear(): void {
    this.jobs.clear();
  }

  /** The live records from the store's: at start, and after a reset or snapshot import replaced them. */
  reload(): void {
    this.jobs.clear();
    for (const record of this.store.repository('jobs').list()) this.jobs.set(record.id, structuredClone(record));
    this.lastSeq = Math.max(this.lastSeq, ...[...this.jobs.values()].map((job) => job.seq));
  }
}
