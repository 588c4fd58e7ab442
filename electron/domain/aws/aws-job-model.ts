import { invalid } from '../errors.js';
import type { JobRecord } from '../jobs/job-model.js';

export type AwsJobStatus = 'SCHEDULED' | 'IN_PROGRESS' | 'CANCELED' | 'COMPLETED';
export type ExecutionStatus = 'QUEUED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'REJECTED' | 'REMOVED' | 'CANCELED';
export type Tag = { Key: string; Value?: string };

export type AwsFailureType = 'FAILED' | 'REJECTED' | 'TIMED_OUT';

export interface RolloutRate {
  maximumPerMinute?: number;
  exponentialRate?: {
    baseRatePerMinute: number;
    incrementFactor: number;
    rateIncreaseCriteria: { numberOfNotifiedThings?: number; numberOfSucceededThings?: number };
  };
}

export interface AbortCriterion {
  failureType: AwsFailureType | 'ALL';
  thresholdPercentage: number;
  minNumberOfExecutedThings: number;
}

export interface RetryCriterion {
  failureType: 'FAILED' | 'TIMED_OUT' | 'ALL';
  numberOfRetries: number;
}

export interface MaintenanceWindow {
  startTime: string;
  durationInMinutes: number;
}

export interface SchedulingConfig {
  startTime?: string;
  endTime?: string;
  endBehavior?: 'STOP_ROLLOUT' | 'CANCEL' | 'FORCE_CANCEL';
  maintenanceWindows?: MaintenanceWindow[];
}

/** Job configuration as the AWS IoT API spells it; stored as sent and echoed back by DescribeJob. */
export interface AwsJobSettings {
  jobExecutionsRolloutConfig?: RolloutRate;
  abortConfig?: { criteriaList: (AbortCriterion & { action: string })[] };
  timeoutConfig?: { inProgressTimeoutInMinutes?: number };
  jobExecutionsRetryConfig?: { criteriaList: RetryCriterion[] };
  presignedUrlConfig?: Record<string, unknown>;
  schedulingConfig?: SchedulingConfig;
  destinationPackageVersions?: string[];
  maintenanceWindows?: MaintenanceWindow[];
}

/** The download a simulated device makes for a job: the bytes its presigned URLs name, and how long they stay valid. */
export interface SimulatedDownload {
  bytes: number;
  expiresInSec: number;
}

/** What a device agent last told the data plane about its execution (external things only). */
export interface AgentExecutionRecord {
  /** QUEUED until the agent starts it; then what the agent (or a timeout) set. */
  status: ExecutionStatus;
  statusDetails?: Record<string, string>;
  versionNumber: number;
  /** ms on the simulation clock */
  startedAt?: number;
  lastUpdatedAt: number;
  /** When the step timer (stepTimeoutInMinutes) or the job's in-progress timeout ends the execution as TIMED_OUT. */
  stepDeadline?: number;
  inProgressDeadline?: number;
}

/** The AWS side of a job created through /aws; the engine's JobRecord of the same id holds the run. */
export interface AwsJobRecord {
  jobId: string;
  /** Target ARNs as the client sent them (and as AssociateTargetsWithJob added them). */
  targets: string[];
  /** The thing groups among the targets: ListJobs' thingGroupName filter, and what a continuous job follows. */
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
  /** What a simulated device downloads before it reports success: the bytes its presigned URLs name. */
  download?: SimulatedDownload;
  settings: AwsJobSettings;
  /** ms epoch on the simulation clock */
  createdAt: number;
  lastUpdatedAt: number;
  reasonCode?: string;
  comment?: string;
  forceCanceled?: boolean;
  /** Data-plane state of the executions of external things, by thing name. */
  agentExecutions?: Record<string, AgentExecutionRecord>;
}

/** A scheduling time as AWS IoT takes it: `YYYY-MM-DDTHH:MM` (seconds and a `Z` allowed), in UTC. */
export function scheduleTimeOf(text: string, member: string): number {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2}(?:\.\d{1,3})?)?Z?$/.exec(text);
  const at = match ? Date.parse(`${match[1]}${match[2] ?? ''}Z`) : NaN;
  if (Number.isNaN(at)) throw invalid(`schedulingConfig.${member} "${text}" is not a time of the form YYYY-MM-DDTHH:MM (UTC).`);
  return at;
}

/** The record with one thing's data-plane state replaced (records are frozen; a change is a new record). */
export function withAgentExecution(record: AwsJobRecord, thingName: string, agent: AgentExecutionRecord): AwsJobRecord {
  return { ...record, agentExecutions: { ...record.agentExecutions, [thingName]: agent } };
}

/** AWS job status of an engine job: SCHEDULED until its start time, IN_PROGRESS while it runs or waits for a slot. */
export function awsJobStatusOf(job: JobRecord, now: number): AwsJobStatus {
  const startAt = job.spec.window?.startAt;
  switch (job.status) {
    case 'complete':
      return 'COMPLETED';
    case 'cancelled':
    case 'failed':
      return 'CANCELED';
    case 'pending':
      return startAt !== undefined && startAt > now ? 'SCHEDULED' : 'IN_PROGRESS';
    default:
      return 'IN_PROGRESS';
  }
}
