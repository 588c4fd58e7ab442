import type * as Iot from '@aws-sdk/client-iot';
import type { AwsJobSettings } from '../../../domain/aws/aws-job-model.js';
import type { AwsJobUpdate, AwsJobView, AwsTargets } from '../../../domain/aws/aws-jobs.js';
import type { ExecutionCounts } from '../../../domain/aws/execution-status.js';
import type { Services } from '../../../domain/services.js';
import { managedTemplateOfArn } from '../../../domain/aws/managed-templates.js';
import { arnOf, parseArn, tagsOf } from '../arns.js';
import { operation, type OperationHandlers, type Validated } from '../operation.js';
import { pageOf, pageRequest } from '../paging.js';

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

/** The job configuration members of a CreateJob request, as the domain stores them. */
function settingsOf(input: Iot.CreateJobRequest): AwsJobSettings {
  const { jobExecutionsRolloutConfig, abortConfig, timeoutConfig, jobExecutionsRetryConfig, presignedUrlConfig, schedulingConfig, destinationPackageVersions } = input;
  const settings = { jobExecutionsRolloutConfig, abortConfig, timeoutConfig, jobExecutionsRetryConfig, presignedUrlConfig, schedulingConfig, destinationPackageVersions };
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as AwsJobSettings;
}

function processDetails(counts: ExecutionCounts): Iot.JobProcessDetails {
  return {
    numberOfCanceledThings: counts.CANCELED,
    numberOfSucceededThings: counts.SUCCEEDED,
    numberOfFailedThings: counts.FAILED,
    numberOfRejectedThings: counts.REJECTED,
    numberOfQueuedThings: counts.QUEUED,
    numberOfInProgressThings: counts.IN_PROGRESS,
    numberOfRemovedThings: counts.REMOVED,
    numberOfTimedOutThings: counts.TIMED_OUT,
  };
}

function jobSummary(view: AwsJobView, services: Services, region: string): Iot.JobSummary {
  const { record } = view;
  const group = record.thingGroups.length === 1 ? services.aws.thingGroups.find(record.thingGroups[0]!) : undefined;
  return {
    jobArn: arnOf(region, 'job', record.jobId),
    jobId: record.jobId,
    thingGroupId: group?.id,
    targetSelection: record.targetSelection,
    status: view.status,
    createdAt: date(record.createdAt),
    lastUpdatedAt: date(view.lastUpdatedAt),
    completedAt: date(view.completedAt),
    isConcurrent: false,
  };
}

/** Target ARNs as the domain takes them: the things and the thing groups they name. */
function targetsOf(arns: string[], region: string): AwsTargets {
  const targets = arns.map((arn) => parseArn(arn, region, ['thing', 'thinggroup']));
  return {
    targets: arns,
    thingNames: targets.filter((target) => target.resource === 'thing').map((target) => target.name),
    thingGroupNames: targets.filter((target) => target.resource === 'thinggroup').map((target) => target.name),
  };
}

export const jobOperations: OperationHandlers = {
  CreateJob: operation<Validated<Iot.CreateJobRequest, 'jobId' | 'targets'>, Iot.CreateJobResponse>(async (input, { services, region }) => {
    const managed = input.jobTemplateArn === undefined ? undefined : managedTemplateOfArn(input.jobTemplateArn);
    const template =
      input.jobTemplateArn === undefined
        ? undefined
        : managed
          ? { id: managed.name, arn: input.jobTemplateArn, managed }
          : { id: parseArn(input.jobTemplateArn, region, ['jobtemplate']).name, arn: input.jobTemplateArn };
    const record = await services.aws.jobs.create({
      jobId: input.jobId,
      ...targetsOf(input.targets, region),
      settings: settingsOf(input),
      ...(input.document !== undefined && { document: input.document }),
      ...(input.documentSource !== undefined && { documentSource: input.documentSource }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.tags !== undefined && { tags: tagsOf(input.tags) }),
      ...(template && { template }),
      ...(input.documentParameters !== undefined && { documentParameters: input.documentParameters }),
      ...(input.targetSelection !== undefined && { targetSelection: input.targetSelection }),
      ...(input.namespaceId !== undefined && { namespaceId: input.namespaceId }),
    });
    return { jobArn: arnOf(region, 'job', record.jobId), jobId: record.jobId, description: record.description };
  }),

  DescribeJob: operation<Validated<Iot.DescribeJobRequest, 'jobId'>, Iot.DescribeJobResponse>(async (input, { services, region }) => {
    const view = services.aws.jobs.get(input.jobId);
    const { record } = view;
    const { settings } = record;
    return {
      job: {
        ...jobSummary(view, services, region),
        forceCanceled: record.forceCanceled,
        reasonCode: record.reasonCode,
        comment: record.comment ?? view.failure,
        targets: record.targets,
        description: record.description,
        jobProcessDetails: processDetails(await services.aws.executions.counts(input.jobId)),
        namespaceId: record.namespaceId,
        jobTemplateArn: record.jobTemplateArn,
        documentParameters: record.documentParameters,
        ...(settings as Partial<Iot.Job>),
      },
    };
  }),

  ListJobs: operation<Iot.ListJobsRequest, Iot.ListJobsResponse>(async (input, { services, region }) => {
    const groupName = input.thingGroupId === undefined ? input.thingGroupName : services.aws.thingGroups.findById(input.thingGroupId)?.name ?? '';
    const views = services.aws.jobs
      .list({
        ...(input.status !== undefined && { status: input.status as AwsJobView['status'] }),
        ...(input.targetSelection !== undefined && { targetSelection: input.targetSelection }),
        ...(groupName !== undefined && { thingGroupName: groupName }),
      })
      .filter((view) => input.namespaceId === undefined || view.record.namespaceId === input.namespaceId);
    const { items, nextToken } = pageOf(views, pageRequest(input));
    return { jobs: items.map((view) => jobSummary(view, services, region)), nextToken };
  }),

  UpdateJob: operation<Validated<Iot.UpdateJobRequest, 'jobId'>, void>(async (input, { services }) => {
    const { jobId, namespaceId: _namespace, ...update } = input;
    await services.aws.jobs.update(jobId, update as AwsJobUpdate);
  }),

  CancelJob: operation<Validated<Iot.CancelJobRequest, 'jobId'>, Iot.CancelJobResponse>(async (input, { services, region }) => {
    const record = await services.aws.jobs.cancel(input.jobId, {
      force: input.force ?? false,
      ...(input.reasonCode !== undefined && { reasonCode: input.reasonCode }),
      ...(input.comment !== undefined && { comment: input.comment }),
    });
    return { jobArn: arnOf(region, 'job', record.jobId), jobId: record.jobId, description: record.description };
  }),

  DeleteJob: operation<Validated<Iot.DeleteJobRequest, 'jobId'>, void>(async (input, { services }) => {
    await services.aws.jobs.remove(input.jobId, input.force ?? false);
  }),

  GetJobDocument: operation<Validated<Iot.GetJobDocumentRequest, 'jobId'>, Iot.GetJobDocumentResponse>(async (input, { services }) => ({
    document: services.aws.jobs.document(input.jobId, input.beforeSubstitution ?? false),
  })),

  AssociateTargetsWithJob: operation<Validated<Iot.AssociateTargetsWithJobRequest, 'jobId' | 'targets'>, Iot.AssociateTargetsWithJobResponse>(
    async (input, { services, region }) => {
      const record = await services.aws.jobs.associateTargets(input.jobId, targetsOf(input.targets, region), input.comment);
      return { jobArn: arnOf(region, 'job', record.jobId), jobId: record.jobId, description: record.description };
    },
  ),
};
