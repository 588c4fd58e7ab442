import type { JobTemplateRecord } from '../../store/records.js';
import type { Repository } from '../../store/store.js';
import type { Clock } from '../clock.js';
import { conflict, invalid, notFound } from '../errors.js';
import type { AppStore } from '../persisted.js';
import type { JobDocuments } from './job-documents.js';

export type JobTemplateInput = Omit<JobTemplateRecord, 'id' | 'createdAt'>;

/** AWS IoT custom job templates: a stored job document and job configuration that CreateJob can start from. */
export class JobTemplates {
  constructor(
    private readonly store: AppStore,
    private readonly clock: Clock,
    private readonly documents: JobDocuments,
  ) {}

  private get records(): Repository<JobTemplateRecord> {
    return this.store.repository('jobTemplates');
  }

  /** In creation order. */
  list(): JobTemplateRecord[] {
    return this.records.list();
  }

  get(id: string): JobTemplateRecord {
    const template = this.records.get(id);
    if (!template) throw notFound('Job template', id);
    return template;
  }

  async create(id: string, input: JobTemplateInput): Promise<JobTemplateRecord> {
    if (this.records.has(id)) throw conflict(`Job template "${id}" already exists.`);
    if (input.document === undefined && input.documentSource === undefined) {
      throw invalid('A job template needs a document, a documentSource or a jobArn.');
    }
    // Read now so that a missing object fails here; jobs read it again when they are created, as AWS IoT does.
    if (input.documentSource !== undefined) await this.documents.fromSource(input.documentSource);
    const template: JobTemplateRecord = { id, ...input, createdAt: this.clock.now() };
    await this.store.commit((tx) => tx.put('jobTemplates', id, template));
    return template;
  }

  async remove(id: string): Promise<void> {
    this.get(id);
    await this.store.commit((tx) => tx.delete('jobTemplates', id));
  }
}
