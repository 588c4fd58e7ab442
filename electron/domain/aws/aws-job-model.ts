import type { AbortCriterion } from '../jobs/abort-policy.js';
import type { JobDefinition, JobStatus, RetryCriterion } from '../jobs/job-model.js';
import type { RolloutRate } from '../jobs/release-policy.js';

export type AwsJobStatus = 'IN_PROGRESS' | 'CANCELED' | 'COMPLETED';
export type ExecutionStatus = 'QUEUED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'REJECTED' | 'REMOVED' | 'CANCELED';
export type Tag = { Key: string; Value?: string };

/** Job configuration as the AWS IoT API spells it; stored as sent and echoed back by DescribeJob. */
export interface AwsJobSettings {
  jobExecutionsRolloutConfig?: RolloutRate;
  abortConfig?: { criteriaList: (AbortCriterion & { action: string })[] };
  timeoutConfig?: { inProgressTimeoutInMinutes?: number };
  jobExecutionsRetryConfig?: { criteriaList: RetryCriterion[] };
  presignedUrlConfig?: Record<string, unknown>;
  schedulingConfig?: Record<string, unknown>;
  destinationPackageVersions?: string[];
  maintenanceWindows?: unknown[];
}

/** The AWS side of a job created through /aws; the engine's JobRecord of the same id holds the run. */
export interface AwsJobRecord {
  jobId: string;
  /** Target ARNs as the client sent them. */
  targets: string[];
  /** The thing groups among the targets, for ListJobs' thingGroupName filter. */
  thingGroups: string[];
  targetSelection: 'SNAPSHOT' | 'CONTINUOUS';
  document: string;
  /** The document before `${aws:iot:parameter:…}` placeholders were substituted, when any were. */
  documentBeforeSubstitution?: string;
  description?: string;
  tags?: Tag[];
  jobTemplateArn?: string;
  documentParameters?: Record<string, string>;
  namespaceId?: string;
  settings: AwsJobSettings;
  /** ms epoch on the simulation clock */
  createdAt: number;
  lastUpdatedAt: number;
  reasonCode?: string;
  comment?: string;
  forceCanceled?: boolean;
}

/** The engine's job definition for an AWS job: one document operation, AWS rollout, abort, timeout and retry settings. */
export function engineDefinitionOf(record: AwsJobRecord): JobDefinition {
  const { settings } = record;
  const timeout = settings.timeoutConfig?.inProgressTimeoutInMinutes;
  return {
    displayName: record.jobId,
    ...(record.description !== undefined && { description: record.description }),
    // AWS jobs target explicit things (resolved when the job is created), not an IoT Central device group.
    group: '',
    data: [{ type: 'document', typeAsSent: 'document' }],
    // Without a rollout configuration AWS IoT still rolls out at its default maximum rate.
    rollout: settings.jobExecutionsRolloutConfig ?? {},
    ...(settings.abortConfig && {
      abortCriteria: settings.abortConfig.criteriaList.map(({ failureType, thresholdPercentage, minNumberOfExecutedThings }) => ({
        failureType,
        thresholdPercentage,
        minNumberOfExecutedThings,
      })),
    }),
    ...(timeout !== undefined && { inProgressTimeoutMinutes: timeout }),
    ...(settings.jobExecutionsRetryConfig && { retries: settings.jobExecutionsRetryConfig.criteriaList }),
  };
}

export function awsJobStatusOf(status: JobStatus): AwsJobStatus {
  switch (status) {
    case 'complete':
      return 'COMPLETED';
    case 'cancelled':
    case 'failed':
      return 'CANCELED';
    default:
      return 'IN_PROGRESS';
  }
}
