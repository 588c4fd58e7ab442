import type { Repository } from '../../store/store.js';
import { notFound } from '../errors.js';
import type { JobEngine, Stage } from '../jobs/job-engine.js';
import type { JobRecord } from '../jobs/job-model.js';
import type { JobSpec } from '../jobs/job-spec.js';
import type { AppStore } from '../persisted.js';

/** One operation of an IoT Central job as the client sent it (its `type` spelled as sent, e.g. PropertyJobData). */
interface CentralOperationEcho {
  type: string;
  target?: string;
  path?: string;
  value?: unknown;
  template?: string;
  manifest?: string;
}

/** What an IoT Central client sent for a job (read-only fields dropped), echoed back by every read of it. */
export interface CentralJobEcho {
  displayName?: string;
  description?: string;
  group: string;
  batch?: { type: 'number' | 'percentage'; value: number };
  cancellationThreshold?: { type: 'number' | 'percentage'; value: number; batch?: boolean };
  data: CentralOperationEcho[];
  organizations?: string[];
}

/** The IoT Central side of a job made through its API (or one of its scheduled jobs); the engine's job of the same id runs it. */
export interface CentralJobRecord {
  id: string;
  echo: CentralJobEcho;
  scheduledJobId?: string;
}

export interface CentralJob {
  /** The engine's creation order, for newest-first pages. */
  seq: number;
  record: CentralJobRecord;
  job: JobRecord;
}

/** IoT Central jobs: the engine's jobs that IoT Central made, each with the client's echo; other APIs' jobs are not its own. */
export class CentralJobs {
  constructor(
    private readonly store: AppStore,
    private readonly engine: JobEngine,
  ) {}

  private get records(): Repository<CentralJobRecord> {
    return this.store.repository('centralJobs');
  }

  /** Every IoT Central job, in creation order. */
  list(): CentralJob[] {
    const out: CentralJob[] = [];
    for (const job of this.engine.list()) {
      const record = this.records.get(job.id);
      if (record) out.push({ seq: job.seq, record, job });
    }
    return out;
  }

  /** The job, or NotFound when there is none or another API made it. */
  get(id: string): CentralJob {
    const record = this.records.get(id);
    if (!record) throw notFound('Job', id);
    const job = this.engine.get(id);
    return { seq: job.seq, record, job };
  }

  async create(id: string, echo: CentralJobEcho, spec: JobSpec): Promise<CentralJob> {
    const record: CentralJobRecord = { id, echo };
    const job = await this.engine.create(id, spec, {}, undefined, this.stageOf(record));
    return { seq: job.seq, record, job };
  }

  /** A new job on the original's failed devices, echoing what the original's client sent. */
  async rerun(id: string, rerunId: string): Promise<CentralJob> {
    const { record: original } = this.get(id);
    const record: CentralJobRecord = { ...structuredClone(original), id: rerunId };
    const job = await this.engine.rerun(id, rerunId, this.stageOf(record));
    return { seq: job.seq, record, job };
  }

  async stop(id: string): Promise<void> {
    this.get(id);
    await this.engine.stop(id);
  }

  async resume(id: string): Promise<void> {
    this.get(id);
    await this.engine.resume(id);
  }

  /** The jobs a scheduled job created so far. */
  instancesOf(scheduledJobId: string): CentralJob[] {
    return this.list().filter(({ record }) => record.scheduledJobId === scheduledJobId);
  }

  /** The write of a job's IoT Central record, for the transaction that creates its engine job. */
  stageOf(record: CentralJobRecord): Stage {
    return (tx) => tx.put('centralJobs', record.id, record);
  }
}
