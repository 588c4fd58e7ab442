import type { Repository } from '../../store/store.js';
import { notFound } from '../errors.js';
import type { JobEngine, Stage } from '../jobs/job-engine.js';
import type { JobRecord } from '../jobs/job-model.js';
import type { JobSpec } from '../jobs/job-spec.js';
import type { AppStore } from '../persisted.js';
import type { CentralJobEcho, CentralJobRecord } from './central-records.js';

export type { CentralJobEcho, CentralJobRecord } from './central-records.js';

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
