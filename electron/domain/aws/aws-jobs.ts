import type { Repository } from '../../store/store.js';
import type { Clock } from '../clock.js';
import { conflict, invalid, notFound } from '../errors.js';
import type { JobEngine } from '../jobs/job-engine.js';
import { isFinished, type JobRecord } from '../jobs/job-model.js';
import type { AppStore } from '../persisted.js';
import { awsJobStatusOf, scheduleTimeOf, type AwsJobRecord, type AwsJobSettings, type AwsJobStatus, type Tag } from './aws-job-model.js';
import { specOf, specUpdateOf } from './aws-job-spec.js';
import { WriteQueue } from '../devices/write-queue.js';
import type { DeviceSlice } from '../fleet-executor.js';
import { DeviceSet } from '../jobs/device-set.js';
import { substituteParameters } from './document-parameters.js';
import { GroupFollowers } from './group-followers.js';
import { checkMaintenanceWindows } from './maintenance-windows.js';
import { targetSlices } from '../groups/target-slices.js';
import { DEFAULT_PRESIGNED_EXPIRY_SEC, type JobDocuments } from './job-documents.js';
import type { JobTemplates } from './job-templates.js';
import { checkManagedParameters, type ManagedTemplate } from './managed-templates.js';
import type { ThingGroups } from './thing-groups.js';
import type { Things } from './things.js';

/** Target ARNs as sent, and the things and thing groups they name. */
export interface AwsTargets {
  targets: string[];
  thingNames: string[];
  thingGroupNames: string[];
}

export interface AwsJobInput extends AwsTargets {
  jobId: string;
  document?: string;
  documentSource?: string;
  description?: string;
  tags?: Tag[];
  /** A custom template by id, or an AWS-managed one (documentParameters are then checked against it). */
  template?: { id: string; arn: string; managed?: ManagedTemplate };
  documentParameters?: Record<string, string>;
  targetSelection?: 'SNAPSHOT' | 'CONTINUOUS';
  namespaceId?: string;
  settings: AwsJobSettings;
}

/** What UpdateJob may change. */
export type AwsJobUpdate = Pick<AwsJobSettings, 'jobExecutionsRolloutConfig' | 'abortConfig' | 'timeoutConfig' | 'jobExecutionsRetryConfig' | 'presignedUrlConfig'> & {
  description?: string;
};

export interface AwsJobView {
  record: AwsJobRecord;
  job: JobRecord;
  status: AwsJobStatus;
  lastUpdatedAt: number;
  completedAt?: number;
  /** Why the emulator could not run the job, when it could not. */
  failure?: string;
}

export interface JobListFilter {
  status?: AwsJobStatus;
  targetSelection?: string;
  thingGroupName?: string;
}

/** AWS IoT jobs on the shared job engine: the AWS record (document, targets, timestamps) beside the engine's run. */
export class AwsJobs {
  private readonly followers: GroupFollowers;
  private readonly recordWrites = new WriteQueue();

  constructor(
    private readonly store: AppStore,
    private readonly engine: JobEngine,
    private readonly things: Things,
    private readonly groups: ThingGroups,
    private readonly templates: JobTemplates,
    private readonly clock: Clock,
    private readonly documents: JobDocuments,
  ) {
    this.followers = new GroupFollowers(store);
    groups.joins.onJoined((group, joined) => this.followGroup(group, joined));
  }

  private get records(): Repository<AwsJobRecord> {
    return this.store.repository('awsJobs');
  }

  /**
   * Runs `write` after the job's record writes before it: a write reads the record, checks it and commits a changed
   * copy, so two of them on one job (an agent update and a cancel, say) must not interleave or one change is lost.
   */
  exclusive<T>(id: string, write: () => Promise<T>): Promise<T> {
    return this.recordWrites.run(id, write);
  }

  /** Records the job and hands it to the engine in one transaction; snapshot targets are resolved now. On disk before this resolves. */
  async create(input: AwsJobInput): Promise<AwsJobRecord> {
    const managed = input.template?.managed;
    const template = input.template && !managed ? this.templates.get(input.template.id) : undefined;
    const settings: AwsJobSettings = { ...template?.settings, ...input.settings };
    checkSchedule(settings);
    checkMaintenanceWindows([...(settings.schedulingConfig?.maintenanceWindows ?? []), ...(settings.maintenanceWindows ?? [])]);
    const source = await this.sourceDocument(input, template?.document ?? managed?.document, template?.documentSource);
    const parameters = managed ? checkManagedParameters(managed, input.documentParameters) : input.documentParameters;
    const document = parameters ? substituteParameters(source, parameters) : source;
    const download = this.documents.downloadOf(document, expiresInSecOf(settings));
    if (this.engine.has(input.jobId)) throw conflict(`A job with id "${input.jobId}" already exists.`);
    const targets = this.resolveTargets(input.thingNames, input.thingGroupNames);
    const now = this.clock.now();
    const record: AwsJobRecord = {
      jobId: input.jobId,
      targets: input.targets,
      thingGroups: input.thingGroupNames,
      targetSelection: input.targetSelection ?? 'SNAPSHOT',
      document,
      ...(document !== source && { documentBeforeSubstitution: source }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.tags !== undefined && { tags: input.tags }),
      ...(input.template && { jobTemplateArn: input.template.arn }),
      ...(input.documentParameters !== undefined && { documentParameters: input.documentParameters }),
      ...(input.namespaceId !== undefined && { namespaceId: input.namespaceId }),
      ...(download && { download }),
      settings,
      createdAt: now,
      lastUpdatedAt: now,
    };
    await this.engine.create(record.jobId, specOf(record), { explicitTargets: targets }, now, (tx) =>
      tx.put('awsJobs', record.jobId, record),
    );
    if (record.targetSelection === 'CONTINUOUS') this.groups.followedBy(record.thingGroups);
    return record;
  }

  /** Whether the AWS API made the job of that id. */
  owns(id: string): boolean {
    return this.records.get(id) !== undefined;
  }

  /** The namespace a job was created in (`namespaceId`), if any: its MQTT notifications also go to that namespace's topic. */
  namespaceOf(id: string): string | undefined {
    return this.records.get(id)?.namespaceId;
  }

  get(id: string): AwsJobView {
    const record = this.records.get(id);
    if (!record) throw notFound('Job', id);
    return this.viewOf(record, this.engine.get(id));
  }

  list(filter: JobListFilter): AwsJobView[] {
    return this.records
      .list()
      .filter((record) => filter.targetSelection === undefined || record.targetSelection === filter.targetSelection)
      .filter((record) => filter.thingGroupName === undefined || record.thingGroups.includes(filter.thingGroupName))
      .map((record) => this.viewOf(record, this.engine.get(record.jobId)))
      .filter((view) => filter.status === undefined || view.status === filter.status)
      .sort((a, b) => a.job.seq - b.job.seq);
  }

  document(id: string, beforeSubstitution: boolean): string {
    const { record } = this.get(id);
    return beforeSubstitution ? (record.documentBeforeSubstitution ?? record.document) : record.document;
  }

  /**
   * The document as delivered to `thingName` for its execution of job `jobId` (data plane and MQTT): each
   * `${aws:iot:s3-presigned-url:…}` becomes a presigned GET of the local S3 at `origin` (the address the device
   * reached the emulator at), valid for presignedUrlConfig.expiresInSec of simulation time from now.
   */
  async deliveredDocument(jobId: string, thingName: string, origin: string): Promise<string> {
    const { record } = this.get(jobId);
    if (!this.things.exists(thingName)) throw notFound('Thing', thingName);
    return this.documents.delivered(record.document, expiresInSecOf(record.settings), origin);
  }

  /** The request's document, else the one its documentSource names, else the template's (or its documentSource's). */
  private async sourceDocument(input: AwsJobInput, templateDocument: string | undefined, templateSource: string | undefined): Promise<string> {
    if (input.document !== undefined) return input.document;
    if (input.documentSource !== undefined) return this.documents.fromSource(input.documentSource);
    if (templateDocument !== undefined) return templateDocument;
    if (templateSource !== undefined) return this.documents.fromSource(templateSource);
    throw invalid('A job needs a document, a documentSource or a jobTemplateArn.');
  }

  /**
   * Changes the description and configuration of an unfinished job. The engine reads the timeout and retries on each
   * attempt; rollout and abort changes reach a job that has not started yet.
   */
  update(id: string, update: AwsJobUpdate): Promise<void> {
    return this.exclusive(id, async () => {
      const { record, job } = this.get(id);
      const { description, ...settings } = update;
      const changed = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
      if (Object.keys(changed).length > 0 && isFinished(job.status)) throw conflict(`Job "${id}" is finished; its configuration can no longer change.`);
      const next: AwsJobRecord = {
        ...record,
        ...(description !== undefined && { description }),
        settings: { ...record.settings, ...changed },
        lastUpdatedAt: this.clock.now(),
      };
      await this.engine.update(id, specUpdateOf(next), (tx) => tx.put('awsJobs', id, next));
    });
  }

  cancel(id: string, options: { force: boolean; reasonCode?: string; comment?: string }): Promise<AwsJobRecord> {
    return this.exclusive(id, async () => {
      const { record } = this.get(id);
      const next: AwsJobRecord = {
        ...record,
        lastUpdatedAt: this.clock.now(),
        ...(options.reasonCode !== undefined && { reasonCode: options.reasonCode }),
        ...(options.comment !== undefined && { comment: options.comment }),
        ...(options.force && { forceCanceled: true }),
      };
      await this.engine.cancel(id, options.force, (tx) => tx.put('awsJobs', id, next));
      return next;
    });
  }

  remove(id: string, force: boolean): Promise<void> {
    return this.exclusive(id, async () => {
      this.get(id);
      await this.engine.remove(id, force, (tx) => tx.delete('awsJobs', id));
    });
  }

  /** Adds targets to a continuous job: the named things and the groups' things get executions, as will later members. */
  associateTargets(id: string, targets: AwsTargets, comment: string | undefined): Promise<AwsJobRecord> {
    return this.exclusive(id, async () => {
      const { record, job } = this.get(id);
      if (record.targetSelection !== 'CONTINUOUS') {
        throw invalid(`Targets can be added to continuous jobs only; job "${id}" is a ${record.targetSelection} job.`);
      }
      if (isFinished(job.status)) throw conflict(`Job "${id}" is finished; targets can no longer be added.`);
      const slices = this.resolveTargets(targets.thingNames, targets.thingGroupNames);
      const next: AwsJobRecord = {
        ...record,
        targets: [...new Set([...record.targets, ...targets.targets])],
        thingGroups: [...new Set([...record.thingGroups, ...targets.thingGroupNames])],
        lastUpdatedAt: this.clock.now(),
        ...(comment !== undefined && { comment }),
      };
      await this.engine.appendTargets(id, slices, (tx) => tx.put('awsJobs', id, next));
      this.groups.followedBy(targets.thingGroupNames);
      return next;
    });
  }

  /**
   * Every named thing and every thing of the named groups (and their child groups), each once, fleet runs as ranges.
   * One group alone is its slices as they are (a million-thing dynamic group: a few ranges).
   */
  resolveTargets(thingNames: string[], groupNames: string[]): DeviceSlice[] {
    for (const name of thingNames) if (!this.things.exists(name)) throw notFound('Thing', name);
    const groups = [...new Set(groupNames)];
    if (thingNames.length === 0 && groups.length === 1) return this.groups.membership.slicesOf(groups[0]!);
    const ids = new Set(thingNames);
    for (const group of groups) for (const thing of new DeviceSet(this.groups.membership.slicesOf(group)).ids(0, Number.MAX_SAFE_INTEGER)) ids.add(thing);
    return targetSlices(ids, (id) => this.things.fleetPlaceOf(id));
  }

  /** How many things the targets name, each once (a rollout's dry run). */
  targetCount(thingNames: string[], groupNames: string[]): number {
    return new DeviceSet(this.resolveTargets(thingNames, groupNames)).size;
  }

  /** Things joined a group: unfinished continuous jobs on that group or one of its ancestors get executions for them. */
  private async followGroup(group: string, joined: DeviceSlice[]): Promise<void> {
    for (const jobId of this.followers.jobsFollowing([group, ...this.groups.ancestorsOf(group)])) {
      if (!isFinished(this.engine.get(jobId).status)) await this.engine.appendTargets(jobId, joined);
    }
  }

  private viewOf(record: AwsJobRecord, job: JobRecord): AwsJobView {
    const status = awsJobStatusOf(job, this.clock.now());
    return {
      record,
      job,
      status,
      lastUpdatedAt: Math.max(record.lastUpdatedAt, job.end ?? job.start ?? 0),
      ...(status !== 'IN_PROGRESS' && status !== 'SCHEDULED' && job.end !== undefined && { completedAt: job.end }),
      ...(job.failure !== undefined && { failure: job.failure }),
    };
  }
}

const expiresInSecOf = (settings: AwsJobSettings) =>
  (settings.presignedUrlConfig?.expiresInSec as number | undefined) ?? DEFAULT_PRESIGNED_EXPIRY_SEC;

function checkSchedule(settings: AwsJobSettings): void {
  const schedule = settings.schedulingConfig;
  if (!schedule) return;
  const start = schedule.startTime === undefined ? undefined : scheduleTimeOf(schedule.startTime, 'startTime');
  const end = schedule.endTime === undefined ? undefined : scheduleTimeOf(schedule.endTime, 'endTime');
  if (end !== undefined && start === undefined) throw invalid('schedulingConfig.endTime needs a startTime.');
  if (start !== undefined && end !== undefined && end <= start) throw invalid('schedulingConfig.endTime must be later than its startTime.');
}
