import { Type, type Static } from '@sinclair/typebox';
import type { AwsJobSettings, AwsJobStatus as AwsJobStatusValue, ExecutionStatus } from '../../../domain/aws/aws-job-model.js';
import { OptionalTime, QueryText, StrictObject } from './common.js';

/** A member checked against the AWS IoT service model's own shape (`model` is the model's definitions in the control API's Ajv). */
const shape = <T>(name: string) => Type.Unsafe<T>({ $ref: `model#/definitions/${name}` });
const text = (name: string) => shape<string>(name);
const JOB_STATUSES: AwsJobStatusValue[] = ['SCHEDULED', 'IN_PROGRESS', 'CANCELED', 'COMPLETED'];
const EXECUTION_STATUSES: ExecutionStatus[] = ['QUEUED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'REJECTED', 'CANCELED', 'REMOVED'];
const oneOf = <T extends string>(values: T[]) => Type.Unsafe<T>({ enum: values });

/** A file the UI put into the local S3: what the wizard shows and puts into a job document. */
export const StoredFile = Type.Object({
  bucket: Type.String(),
  key: Type.String(),
  size: Type.Integer(),
  etag: Type.String(),
  /** The object's S3 URL, as a job document names it. */
  url: Type.String(),
  /** The placeholder AWS IoT replaces with a presigned GET each time it delivers the document. */
  placeholder: Type.String(),
});
export type StoredFile = Static<typeof StoredFile>;

export const ThingGroups = Type.Object({
  value: Type.Array(Type.Object({ name: Type.String(), description: Type.Optional(Type.String()), things: Type.Integer() })),
});

const TARGETS = {
  thingGroupNames: Type.Optional(Type.Array(text('ThingGroupName'), { maxItems: 100 })),
  thingNames: Type.Optional(Type.Array(text('ThingName'), { maxItems: 100 })),
};

const SETTINGS = {
  jobExecutionsRolloutConfig: Type.Optional(shape<AwsJobSettings['jobExecutionsRolloutConfig']>('JobExecutionsRolloutConfig')),
  abortConfig: Type.Optional(shape<AwsJobSettings['abortConfig']>('AbortConfig')),
  timeoutConfig: Type.Optional(shape<AwsJobSettings['timeoutConfig']>('TimeoutConfig')),
  jobExecutionsRetryConfig: Type.Optional(shape<AwsJobSettings['jobExecutionsRetryConfig']>('JobExecutionsRetryConfig')),
  schedulingConfig: Type.Optional(shape<AwsJobSettings['schedulingConfig']>('SchedulingConfig')),
};

const TargetSelection = shape<'SNAPSHOT' | 'CONTINUOUS'>('TargetSelection');

export const AwsJobCreateBody = StrictObject({
  jobId: text('JobId'),
  description: Type.Optional(text('JobDescription')),
  ...TARGETS,
  document: text('JobDocument'),
  targetSelection: Type.Optional(TargetSelection),
  ...SETTINGS,
});

export const AwsJobDryRunBody = StrictObject({ ...TARGETS, jobExecutionsRolloutConfig: SETTINGS.jobExecutionsRolloutConfig });
export const AwsJobCancelBody = StrictObject({ force: Type.Optional(Type.Boolean()), reasonCode: Type.Optional(text('ReasonCode')), comment: Type.Optional(text('Comment')) });

export const AwsJobStatus = oneOf(JOB_STATUSES);

export const AwsJobsQuery = Type.Object({ status: Type.Optional(AwsJobStatus) });

export const AwsJobSummary = Type.Object({
  jobId: Type.String(),
  status: AwsJobStatus,
  targetSelection: Type.Union([Type.Literal('SNAPSHOT'), Type.Literal('CONTINUOUS')]),
  description: Type.Optional(Type.String()),
  createdAt: OptionalTime,
  lastUpdatedAt: OptionalTime,
  completedAt: OptionalTime,
});

export const AwsJobList = Type.Object({ value: Type.Array(AwsJobSummary) });

/** A setting as CreateJob accepted it and the store keeps it. */
const stored = <K extends keyof AwsJobSettings>(modelShape: string) =>
  Type.Optional(Type.Unsafe<AwsJobSettings[K]>({ description: `As CreateJob accepted it (the model's ${modelShape})` }));

export const AwsJob = Type.Object({
  ...AwsJobSummary.properties,
  targets: Type.Array(Type.String({ description: 'Thing and thing group ARNs' })),
  thingGroupNames: Type.Array(Type.String()),
  document: Type.String(),
  jobExecutionsRolloutConfig: stored<'jobExecutionsRolloutConfig'>('JobExecutionsRolloutConfig'),
  abortConfig: stored<'abortConfig'>('AbortConfig'),
  timeoutConfig: stored<'timeoutConfig'>('TimeoutConfig'),
  jobExecutionsRetryConfig: stored<'jobExecutionsRetryConfig'>('JobExecutionsRetryConfig'),
  schedulingConfig: stored<'schedulingConfig'>('SchedulingConfig'),
  presignedUrlConfig: stored<'presignedUrlConfig'>('PresignedUrlConfig'),
  destinationPackageVersions: stored<'destinationPackageVersions'>('DestinationPackageVersions'),
  maintenanceWindows: stored<'maintenanceWindows'>('MaintenanceWindows'),
  comment: Type.Optional(Type.String()),
  reasonCode: Type.Optional(Type.String()),
  forceCanceled: Type.Boolean(),
  jobProcessDetails: Type.Unsafe<Record<ExecutionStatus, number>>(Type.Record(Type.String(), Type.Integer(), { description: 'Executions per status (QUEUED, IN_PROGRESS, …)' })),
});

export const AwsExecutionsQuery = Type.Object({
  offset: QueryText,
  limit: QueryText,
  status: Type.Optional(oneOf(EXECUTION_STATUSES)),
  search: Type.Optional(Type.String({ maxLength: 128 })),
});

export const AwsExecutionPage = Type.Object({
  total: Type.Integer(),
  matched: Type.Integer(),
  executions: Type.Array(
    Type.Object({
      thingName: Type.String(),
      status: oneOf(EXECUTION_STATUSES),
      queuedAt: OptionalTime,
      startedAt: OptionalTime,
      lastUpdatedAt: OptionalTime,
      retryAttempt: Type.Optional(Type.Integer()),
      versionNumber: Type.Optional(Type.Integer()),
      statusDetails: Type.Optional(Type.Record(Type.String(), Type.String())),
    }),
  ),
});

/** Things notified per simulated minute (summed per bucket of `bucketMinutes` when the rollout is long). */
export const RolloutCurve = Type.Object({ things: Type.Integer(), minutes: Type.Integer(), bucketMinutes: Type.Integer(), buckets: Type.Array(Type.Integer()) });

export type ThingGroups = Static<typeof ThingGroups>;
export type AwsJobCreateBody = Static<typeof AwsJobCreateBody>;
export type AwsJobDryRunBody = Static<typeof AwsJobDryRunBody>;
export type AwsJobCancelBody = Static<typeof AwsJobCancelBody>;
export type AwsJobSummary = Static<typeof AwsJobSummary>;
export type AwsJobList = Static<typeof AwsJobList>;
export type AwsJob = Static<typeof AwsJob>;
export type AwsExecutionPage = Static<typeof AwsExecutionPage>;
export type RolloutCurve = Static<typeof RolloutCurve>;
export type AwsJobsQuery = Static<typeof AwsJobsQuery>;
export type AwsExecutionsQuery = Static<typeof AwsExecutionsQuery>;
