import { api } from '../../../lib/api';

const segment = encodeURIComponent;

export type AwsJobStatus = 'SCHEDULED' | 'IN_PROGRESS' | 'CANCELED' | 'COMPLETED';
export type ExecutionStatus = 'QUEUED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'REJECTED' | 'CANCELED' | 'REMOVED';
export const EXECUTION_STATUSES: ExecutionStatus[] = ['QUEUED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'REJECTED', 'CANCELED', 'REMOVED'];
export type FailureType = 'FAILED' | 'REJECTED' | 'TIMED_OUT' | 'ALL';

export interface RolloutConfig {
  maximumPerMinute?: number;
  exponentialRate?: {
    baseRatePerMinute: number;
    incrementFactor: number;
    rateIncreaseCriteria: { numberOfNotifiedThings?: number; numberOfSucceededThings?: number };
  };
}

export interface AwsTargets {
  thingGroupNames?: string[];
  thingNames?: string[];
}

/** POST /_fleetlab/aws/jobs: CreateJob's members, with targets by name. */
export interface AwsJobBody extends AwsTargets {
  jobId: string;
  description?: string;
  document: string;
  targetSelection?: 'SNAPSHOT' | 'CONTINUOUS';
  jobExecutionsRolloutConfig?: RolloutConfig;
  abortConfig?: { criteriaList: { failureType: FailureType; action: 'CANCEL'; thresholdPercentage: number; minNumberOfExecutedThings: number }[] };
  timeoutConfig?: { inProgressTimeoutInMinutes: number };
  jobExecutionsRetryConfig?: { criteriaList: { failureType: Exclude<FailureType, 'REJECTED'>; numberOfRetries: number }[] };
  schedulingConfig?: { startTime: string; endTime?: string; endBehavior?: 'STOP_ROLLOUT' | 'CANCEL' | 'FORCE_CANCEL' };
}

export interface AwsJobSummary {
  jobId: string;
  status: AwsJobStatus;
  targetSelection: 'SNAPSHOT' | 'CONTINUOUS';
  description?: string;
  createdAt: string;
  lastUpdatedAt: string;
  completedAt?: string;
}

export interface AwsJob extends AwsJobSummary, Omit<AwsJobBody, 'jobId' | 'description' | 'targetSelection'> {
  targets: string[];
  comment?: string;
  reasonCode?: string;
  forceCanceled: boolean;
  jobProcessDetails: Record<ExecutionStatus, number>;
}

export interface AwsExecution {
  thingName: string;
  status: ExecutionStatus;
  queuedAt: string;
  startedAt?: string;
  lastUpdatedAt: string;
  retryAttempt: number;
  versionNumber: number;
  statusDetails?: Record<string, string>;
}

/** Devices notified per simulated minute, summed per `bucketMinutes`. */
export interface RolloutCurve {
  things: number;
  minutes: number;
  bucketMinutes: number;
  buckets: number[];
}

export interface ThingGroup {
  name: string;
  description?: string;
  things: number;
}

/** PUT /_fleetlab/aws/files/{bucket}/{key}: a file now in the local S3, and the placeholder a job document names it with. */
export interface StoredFile {
  bucket: string;
  key: string;
  size: number;
  placeholder: string;
}

/** AWS IoT jobs through Fleetlab's control API: the browser cannot sign SigV4 for /aws. */
export const awsJobsApi = {
  thingGroups: async () => (await api.request<{ value: ThingGroup[] }>('GET', '/_fleetlab/aws/thing-groups')).value,
  get: (id: string) => api.request<AwsJob>('GET', `/_fleetlab/aws/jobs/${segment(id)}`),
  create: (body: AwsJobBody) => api.request<AwsJobSummary>('POST', '/_fleetlab/aws/jobs', { body }),
  // No request timeout: a large image may take longer than an API call.
  uploadFile: (bucket: string, file: File) =>
    api.request<StoredFile>('PUT', `/_fleetlab/aws/files/${segment(bucket)}/${segment(file.name)}`, { file, signal: new AbortController().signal }),
  cancel: (id: string, force: boolean) => api.request<AwsJobSummary>('POST', `/_fleetlab/aws/jobs/${segment(id)}/cancel`, { body: { force } }),
  dryRun: (targets: AwsTargets, rollout?: RolloutConfig) =>
    api.request<RolloutCurve>('POST', '/_fleetlab/aws/jobs/dry-run', { body: { ...targets, ...(rollout && { jobExecutionsRolloutConfig: rollout }) } }),

  executions(id: string, query: { offset: number; limit: number; status?: string; search?: string }): Promise<{ total: number; matched: number; executions: AwsExecution[] }> {
    const params = new URLSearchParams({ offset: String(query.offset), limit: String(query.limit) });
    if (query.status) params.set('status', query.status);
    if (query.search) params.set('search', query.search);
    return api.request('GET', `/_fleetlab/aws/jobs/${segment(id)}/executions?${params}`);
  },
};
