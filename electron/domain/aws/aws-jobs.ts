import type { AppStore } from '../../store/app-store.js';
import type { Clock } from '../clock.js';
import { conflict, DomainError, invalid, notFound } from '../errors.js';
import type { JobEngine } from '../jobs/job-engine.js';
import type { JobRecord } from '../jobs/job-model.js';
import { awsJobStatusOf, engineDefinitionOf, type AwsJobRecord, type AwsJobSettings, type AwsJobStatus, type ExecutionStatus, type Tag } from './aws-job-model.js';
import { substituteParameters } from './document-parameters.js';
import { countExecutions, executionContext, executionStatusAt, findExecutions, type ExecutionContext, type ExecutionCounts } from './job-executions.js';
import type { JobTemplates } from './job-templates.js';
import type { ThingGroups } from './thing-groups.js';
import type { Things } from './things.js';

export interface AwsJobInput {
  jobId: string;
  /** Target ARNs as sent, and the things and thing groups they name. */
  targets: string[];
  thingNames: string[];
  thingGroupNames: string[];
  document?: string;
  documentSource?: string;
  description?: string;
  tags?: Tag[];
  template?: { id: string; arn: string };
  documentParameters?: Record<string, string>;
  targetSelection?: 'SNAPSHOT' | 'CONTINUOUS';
  namespaceId?: string;
  settings: AwsJobSettings;
}

export interface AwsJobView {
  record: AwsJobRecord;
  status: AwsJobStatus;
  lastUpdatedAt: number;
  completedAt?: number;
  /** Why the emulator could not run the job, when it could not. */
  failure?: string;
}

export interface ExecutionView {
  jobId: string;
  thingName: string;
  status: ExecutionStatus;
  queuedAt: number;
  startedAt?: number;
  lastUpdatedAt: number;
}

export interface JobListFilter {
  status?: AwsJobStatus;
  targetSelection?: string;
  thingGroupName?: string;
}

const notImplemented = (what: string) => new DomainError('NotImplemented', `Fleetlab does not emulate ${what} yet.`);

/** AWS IoT jobs on the shared job engine: the AWS record (document, targets, timestamps) beside the engine's run. */
export class AwsJobs {
  constructor(
    private readonly store: AppStore,
    private readonly engine: JobEngine,
    private readonly things: Things,
    private readonly groups: ThingGroups,
    private readonly templates: JobTemplates,
    private readonly clock: Clock,
  ) {}

  private get records(): Record<string, AwsJobRecord> {
    return this.store.data.awsJobs as Record<string, AwsJobRecord>;
  }

  /** Records the job with its targets resolved now (a snapshot) and hands it to the engine; on disk before this resolves. */
  async create(input: AwsJobInput): Promise<AwsJobRecord> {
    if (input.targetSelection === 'CONTINUOUS') throw notImplemented('continuous jobs (targetSelection CONTINUOUS)');
    const template = input.template ? this.templates.get(input.template.id) : undefined;
    const settings: AwsJobSettings = { ...template?.settings, ...input.settings };
    if (settings.schedulingConfig) throw notImplemented('scheduled jobs (schedulingConfig)');
    if (input.documentSource !== undefined || (input.document === undefined && template?.documentSource !== undefined)) {
      throw notImplemented('job documents in Amazon S3 (documentSource); send the document itself');
    }
    const source = input.document ?? template?.document;
    if (source === undefined) throw invalid('CreateJob needs a document, a documentSource or a jobTemplateArn.');
    const document = input.documentParameters ? substituteParameters(source, input.documentParameters) : source;
    if (this.exists(input.jobId)) throw conflict(`A job with id "${input.jobId}" already exists.`);
    const targetIds = this.resolveTargets(input.thingNames, input.thingGroupNames);
    const now = this.clock.now();
    const record: AwsJobRecord = {
      jobId: input.jobId,
      targets: input.targets,
      thingGroups: input.thingGroupNames,
      targetSelection: 'SNAPSHOT',
      document,
      ...(document !== source && { documentBeforeSubstitution: source }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.tags !== undefined && { tags: input.tags }),
      ...(input.template && { jobTemplateArn: input.template.arn }),
      ...(input.documentParameters !== undefined && { documentParameters: input.documentParameters }),
      ...(input.namespaceId !== undefined && { namespaceId: input.namespaceId }),
      settings,
      createdAt: now,
      lastUpdatedAt: now,
    };
    this.records[record.jobId] = record;
    try {
      await this.engine.create(record.jobId, engineDefinitionOf(record), { explicitTargets: [{ ids: targetIds }] }, now);
    } catch (error) {
      delete this.records[record.jobId];
      throw error;
    }
    return record;
  }

  get(id: string): AwsJobView {
    const record = this.records[id];
    if (!record) throw notFound('Job', id);
    return this.viewOf(record, this.engine.get(id));
  }

  list(filter: JobListFilter): AwsJobView[] {
    return Object.values(this.records)
      .filter((record) => filter.targetSelection === undefined || record.targetSelection === filter.targetSelection)
      .filter((record) => filter.thingGroupName === undefined || record.thingGroups.includes(filter.thingGroupName))
      .map((record) => this.viewOf(record, this.engine.get(record.jobId)))
      .filter((view) => filter.status === undefined || view.status === filter.status)
      .sort((a, b) => this.engine.get(a.record.jobId).seq - this.engine.get(b.record.jobId).seq);
  }

  document(id: string, beforeSubstitution: boolean): string {
    const { record } = this.get(id);
    return beforeSubstitution ? (record.documentBeforeSubstitution ?? record.document) : record.document;
  }

  async updateDescription(id: string, description: string | undefined): Promise<void> {
    const { record } = this.get(id);
    if (description === undefined) return;
    record.description = description;
    record.lastUpdatedAt = this.clock.now();
    await this.store.save();
  }

  async cancel(id: string, options: { force: boolean; reasonCode?: string; comment?: string }): Promise<AwsJobRecord> {
    const { record } = this.get(id);
    await this.engine.cancel(id, options.force);
    Object.assign(record, {
      lastUpdatedAt: this.clock.now(),
      ...(options.reasonCode !== undefined && { reasonCode: options.reasonCode }),
      ...(options.comment !== undefined && { comment: options.comment }),
      ...(options.force && { forceCanceled: true }),
    });
    await this.store.save();
    return record;
  }

  async remove(id: string, force: boolean): Promise<void> {
    this.get(id);
    await this.engine.remove(id, force);
    delete this.records[id];
    await this.store.save();
  }

  async executionCounts(id: string): Promise<ExecutionCounts> {
    return countExecutions(await this.contextOf(id));
  }

  async executions(id: string, offset: number, limit: number, status?: ExecutionStatus): Promise<{ executions: ExecutionView[]; more: boolean }> {
    const view = this.get(id);
    const { entries, more } = findExecutions(await this.contextOf(id), offset, limit, status);
    return { executions: entries.map((entry) => this.executionView(view, entry.thingName, entry.status)), more };
  }

  /** The thing's executions across AWS jobs in creation order, optionally of one job or one status. */
  async executionsForThing(thingName: string, filter: { status?: ExecutionStatus; jobId?: string }): Promise<ExecutionView[]> {
    if (!this.things.exists(thingName)) throw notFound('Thing', thingName);
    const out: ExecutionView[] = [];
    for (const view of this.list({})) {
      if (filter.jobId !== undefined && view.record.jobId !== filter.jobId) continue;
      const context = await this.contextOf(view.record.jobId);
      const position = context.devices.positionOf(thingName);
      if (position < 0) continue;
      const status = executionStatusAt(context, position);
      if (filter.status === undefined || filter.status === status) out.push(this.executionView(view, thingName, status));
    }
    return out;
  }

  async execution(id: string, thingName: string): Promise<ExecutionView> {
    const view = this.get(id);
    const context = await this.contextOf(id);
    const position = context.devices.positionOf(thingName);
    if (position < 0) throw notFound('Job execution of thing', `${thingName}" in job "${id}`);
    return this.executionView(view, thingName, executionStatusAt(context, position));
  }

  private exists(id: string): boolean {
    try {
      this.engine.get(id);
      return true;
    } catch {
      return false;
    }
  }

  /** Every named thing and every thing of the named groups (and their child groups), each once. */
  private resolveTargets(thingNames: string[], groupNames: string[]): string[] {
    for (const name of thingNames) if (!this.things.exists(name)) throw notFound('Thing', name);
    const ids = new Set(thingNames);
    for (const group of groupNames) for (const thing of this.groups.members(group, true)) ids.add(thing);
    return [...ids];
  }

  private async contextOf(id: string): Promise<ExecutionContext> {
    const job = this.engine.get(id);
    return executionContext(job, await this.engine.deviceState(id), this.engine.released(id));
  }

  private viewOf(record: AwsJobRecord, job: JobRecord): AwsJobView {
    const status = awsJobStatusOf(job.status);
    return {
      record,
      status,
      lastUpdatedAt: Math.max(record.lastUpdatedAt, job.end ?? job.start ?? 0),
      ...(status !== 'IN_PROGRESS' && job.end !== undefined && { completedAt: job.end }),
      ...(job.failure !== undefined && { failure: job.failure }),
    };
  }

  /**
   * The engine keeps one status byte per device, not per-device times: an execution is queued when its job was
   * created, starts when the job started, and its last update is the job's end (or now, while it runs).
   */
  private executionView(view: AwsJobView, thingName: string, status: ExecutionStatus): ExecutionView {
    const job = this.engine.get(view.record.jobId);
    const started = status !== 'QUEUED' && job.start !== undefined;
    const terminal = status !== 'QUEUED' && status !== 'IN_PROGRESS';
    return {
      jobId: view.record.jobId,
      thingName,
      status,
      queuedAt: view.record.createdAt,
      ...(started && { startedAt: job.start }),
      lastUpdatedAt: terminal ? (job.end ?? this.clock.now()) : (job.start ?? view.record.createdAt),
    };
  }
}
