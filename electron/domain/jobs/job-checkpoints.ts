import type { JobDeviceFiles } from '../../store/job-files.js';
import { messageOf, type DomainLog, type Supervisor } from '../background.js';
import type { DeviceSlice } from '../fleet-executor.js';
import type { AppStore } from '../persisted.js';
import type { SimulationClock } from '../simulation-clock.js';
import type { Stage } from './job-engine-options.js';
import type { JobRecord } from './job-model.js';
import type { JobRun } from './job-run.js';

export interface CheckpointOptions {
  store: AppStore;
  files: JobDeviceFiles<DeviceSlice[]>;
  clock: SimulationClock;
  /** Real milliseconds between progress checkpoints of a running job. */
  checkpointMs: number;
  supervisor: Supervisor;
  log: DomainLog;
  /** Whether the run's record is still the engine's job of that id (not deleted or replaced meanwhile). */
  isCurrent(run: JobRun): boolean;
  /** A finished run's last checkpoint is on disk: the run can be let go. */
  finalSaved(run: JobRun): void;
}

/**
 * What makes jobs durable: their records, committed through the store, and their runs' progress (changed blocks of
 * status bytes and times) at checkpoints. A failed checkpoint never ends the run: the next one writes its blocks again.
 */
export class JobCheckpoints {
  private readonly lastCheckpoint = new Map<string, number>();
  private readonly writes = new Set<Promise<boolean>>();
  /** Each run's checkpoint being written, and the one waiting for it. */
  private readonly persisting = new Map<JobRun, Promise<boolean>>();
  private readonly persistAfter = new Map<JobRun, Promise<boolean>>();
  /** Jobs whose last checkpoint failed, with why: logged once when it starts failing, once when it catches up. */
  private readonly failingWrites = new Map<string, unknown>();
  private readonly retries = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly options: CheckpointOptions) {}

  /** Commits a copy of the record (with another service's writes); the live record is not touched. */
  save(record: JobRecord, stage?: Stage): Promise<void> {
    const copy = structuredClone(record);
    return this.options.store.commit((tx) => {
      tx.put('jobs', record.id, copy);
      stage?.(tx);
    });
  }

  /** Saves a record the engine changed on its own (a failure it records), logging instead of rejecting. */
  async saveOrLog(record: JobRecord): Promise<void> {
    await this.save(record).catch((again: unknown) => this.options.log.warn({ err: again, job: record.id }, `The failure of job "${record.id}" is not saved yet: ${messageOf(again)}`));
  }

  /** Why the job's last checkpoint failed, while it keeps failing. */
  failureOf(id: string): unknown {
    return this.failingWrites.get(id);
  }

  /** A checkpoint of the run, at most every checkpointMs of real time unless `urgent`. */
  checkpoint(run: JobRun, urgent: boolean): void {
    const now = this.options.clock.wallNow();
    if (!urgent && now - (this.lastCheckpoint.get(run.record.id) ?? 0) < this.options.checkpointMs) return;
    this.lastCheckpoint.set(run.record.id, now);
    this.options.supervisor.run(`Checkpoint of job "${run.record.id}"`, () => this.persist(run));
  }

  /**
   * Writes the blocks the run changed since its last checkpoint, then the job record. Never rejects: a failed write
   * (a full disk) leaves its blocks to the next checkpoint, and is logged once; false until it succeeds.
   */
  persist(run: JobRun): Promise<boolean> {
    const current = this.persisting.get(run);
    if (!current) return this.persistNow(run);
    // One checkpoint of a job at a time, so that copies of changed blocks cannot pile up behind a slow disk: a later
    // one waits, then takes every change made meanwhile.
    let next = this.persistAfter.get(run);
    if (!next) {
      const queued: Promise<boolean> = current.then(() => {
        this.persistAfter.delete(run);
        return this.persistNow(run);
      });
      // A queued write counts as started: settled() waits for it too (a finished job's last checkpoint is often one).
      this.writes.add(queued);
      const forget = () => this.writes.delete(queued);
      queued.then(forget, forget);
      this.persistAfter.set(run, queued);
      next = queued;
    }
    return next;
  }

  /** A finished run stays readable from memory until its last checkpoint is on disk, retried while the disk refuses it. */
  async persistFinal(run: JobRun): Promise<void> {
    if (await this.persist(run)) {
      this.options.finalSaved(run);
    } else if (!this.closed) {
      const retry = setTimeout(() => {
        this.retries.delete(retry);
        this.options.supervisor.run(`Saving the end of job "${run.record.id}"`, () => this.persistFinal(run));
      }, this.options.checkpointMs);
      this.retries.add(retry);
    }
  }

  /** Resolves once the writes started so far have ended (a deleted job's folder can go, nothing touches the data dir). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.writes]);
  }

  /** No more retries; the writes in flight still end (see settled). */
  close(): void {
    this.closed = true;
    for (const retry of this.retries) clearTimeout(retry);
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
        if (this.options.isCurrent(run)) await this.save(run.record);
      } catch (error) {
        return this.writeFailed(id, error, 'its record could not be saved');
      }
      if (this.failingWrites.delete(id)) this.options.log.info({ job: id }, `Progress of job "${id}" is saved again.`);
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
      this.options.log.error({ err: error, job: id }, `A checkpoint of job "${id}" failed: ${what} (${messageOf(error)}). The job keeps running; the next checkpoint tries again.`);
    }
    this.failingWrites.set(id, error);
    return false;
  }
}
