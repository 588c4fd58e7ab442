import type { AppStore } from '../../store/app-store.js';
import type { JobTemplateRecord } from '../../store/records.js';
import type { Clock } from '../clock.js';
import { conflict, invalid, notFound } from '../errors.js';

export type JobTemplateInput = Omit<JobTemplateRecord, 'id' | 'createdAt'>;

/** AWS IoT custom job templates: a stored job document and job configuration that CreateJob can start from. */
export class JobTemplates {
  constructor(
    private readonly store: AppStore,
    private readonly clock: Clock,
  ) {}

  private get records(): Record<string, JobTemplateRecord> {
    return this.store.data.jobTemplates;
  }

  list(): JobTemplateRecord[] {
    return Object.values(this.records).sort((a, b) => a.createdAt - b.createdAt);
  }

  get(id: string): JobTemplateRecord {
    const template = this.records[id];
    if (!template) throw notFound('Job template', id);
    return template;
  }

  async create(id: string, input: JobTemplateInput): Promise<JobTemplateRecord> {
    if (this.records[id]) throw conflict(`Job template "${id}" already exists.`);
    if (input.document === undefined && input.documentSource === undefined) {
      throw invalid('A job template needs a document, a documentSource or a jobArn.');
    }
    const template: JobTemplateRecord = { id, ...input, createdAt: this.clock.now() };
    this.records[id] = template;
    await this.store.save();
    return template;
  }

  async remove(id: string): Promise<void> {
    this.get(id);
    delete this.records[id];
    await this.store.save();
  }
}
