/**
 * What Fleetlab's own API (/_fleetlab, electron/api/control/routes/*) takes and answers, in one place: typed by hand
 * from the routes until the control API's schema module exports its static types, when this file becomes
 * `export type … from` that module. Types only, so that swap changes no code.
 */
import type { CountOrPercentage, Device, JobStatus } from './central-types';

/** GET /info */
export interface FleetlabInfo {
  name: string;
  version: string;
  apiOrigin: string;
  apiVersion: string;
  apiVersions: string[];
  /** Where real devices connect, while the device broker runs (docs/devices.md). */
  devices?: DeviceEndpoints;
}

export interface DeviceEndpoints {
  idScope: string;
  provisioningHost: string;
  hubHost: string;
  mqttPort: number;
  websocketPath: string;
  caCertificate: string;
}

/** One entry of GET /connected-devices. */
export interface ConnectedDevice {
  deviceId: string;
  transport: 'tls' | 'websocket' | 'tcp';
  connectedAt: string;
}

/** GET /fleet/summary */
export interface FleetSummary {
  devices: number;
  setOffline: number;
  setOnline: number;
  templates: number;
  groups: number;
  fleets: number;
}

/** POST /fleet */
export interface FleetBody {
  template: string;
  count: number;
  idPrefix: string;
  simulated?: boolean;
}

export interface FleetCreated {
  count: number;
  firstId: string;
  lastId: string;
  durationMs: number;
}

/** One row of GET /devices: the IoT Central device with its simulated connectivity. */
export type DeviceRow = Device & { online: boolean | null; behaviorOverridden: boolean };

/** GET /devices's filter. */
export interface DeviceQuery {
  /** The start of a device id or name. */
  search?: string;
  template?: string;
  connection?: 'online' | 'offline' | 'profile';
  simulated?: boolean;
  order?: 'oldest' | 'newest';
}

export interface DevicePage {
  total: number;
  matched: number;
  offset: number;
  devices: DeviceRow[];
}

export interface Behavior {
  propertyFailureRate: number;
  commandFailureRate: number;
  offlineRate: number;
  latencyMs: { min: number; max: number };
  commandTimeoutMs: number;
}

/** GET/PUT /templates/{id}/behavior */
export interface BehaviorView {
  behavior: Partial<Behavior>;
  effective: Behavior;
}

/** GET/PUT /devices/{id}/behavior */
export interface DeviceBehaviorView extends BehaviorView {
  online: boolean | null;
}

export type DeviceBehaviorBody = Partial<Behavior> & { online?: boolean | null };

/** POST /groups/preview */
export interface GroupPreview {
  count: number;
  sample: string[];
}

/** GET /scheduled-jobs/next-runs: each scheduled job's next run, null when it runs no more. */
export type NextRuns = Record<string, string | null>;

/** GET/PUT /simulation */
export interface Simulation {
  seed: number;
  timeScale: number;
  defaults: Behavior;
  now: string;
}

export type SimulationBody = Partial<Omit<Simulation, 'now'>>;

/** One row of GET /requests. */
export interface RequestSummary {
  id: number;
  time: string;
  method: string;
  url: string;
  status: number;
  durationMs: number;
  source: 'ui' | 'client';
}

export interface RequestPage {
  total: number;
  capacity: number;
  requests: RequestSummary[];
}

export interface CapturedBody {
  text: string;
  truncated: boolean;
}

/** GET /requests/{id} */
export interface LoggedRequest extends RequestSummary {
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  requestBody: CapturedBody;
  responseBody: CapturedBody;
}

export type AwsJobStatus = 'SCHEDULED' | 'IN_PROGRESS' | 'CANCELED' | 'COMPLETED';

/** A job as the `jobs` event of GET /events summarises it. */
export interface JobSummary {
  id: string;
  displayName?: string;
  status: JobStatus;
  progress?: { total: number; completed: number; failed: number; pending: number };
  start?: string;
  end?: string;
  failure?: string;
  /** Which API created the job; AWS IoT jobs also carry their AWS status. */
  dialect?: 'central' | 'aws';
  awsStatus?: AwsJobStatus;
  /** The job whose failed devices this rerun targets. */
  rerunOf?: string;
}

export interface BatchCounts {
  completed: number;
  failed: number;
  pending: number;
}

/** The `job` event of GET /events?job={id}: one job's summary, per-batch counts and the simulated time it was taken at. */
export interface JobProgressEvent extends JobSummary {
  at: string;
  batchSize: number;
  batchCount: number;
  batches: BatchCounts[];
}

export type JobDeviceStatus = 'pending' | 'completed' | 'failed';

/** GET /jobs/{id}/devices's query. */
export interface JobDeviceQuery {
  offset: number;
  limit: number;
  status?: JobDeviceStatus;
  search?: string;
}

export interface JobDevice {
  id: string;
  status: JobDeviceStatus;
  error?: string;
}

export interface JobDevicePage {
  total: number;
  matched: number;
  devices: JobDevice[];
}

/** GET /jobs/{id}/outcomes: completions and failures over simulated time; `batches`: spread over its batches, not recorded per device. */
export interface OutcomeHistory {
  basis: 'recorded' | 'batches';
  points: { at: string; completed: number; failed: number }[];
}

/** POST /jobs/dry-run: how many devices and batches a job on a group would have now. */
export interface DryRun {
  devices: number;
  batchSize: number;
  batchCount: number;
}

export interface DryRunBody {
  group: string;
  batch?: CountOrPercentage;
}

/** One entry of GET /templates/{id}/capabilities. */
export interface Capability {
  kind: 'property' | 'command' | 'cloudProperty';
  name: string;
  component?: string;
  path: string;
  schema?: unknown;
  writable: boolean;
}

export type ExecutionStatus = 'QUEUED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'REJECTED' | 'CANCELED' | 'REMOVED';
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

/** POST /aws/jobs: CreateJob's members, with targets by name. */
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

/** What POST /aws/jobs and POST /aws/jobs/{id}/cancel answer. */
export interface AwsJobSummary {
  jobId: string;
  status: AwsJobStatus;
  targetSelection: 'SNAPSHOT' | 'CONTINUOUS';
  description?: string;
  createdAt: string;
  lastUpdatedAt: string;
  completedAt?: string;
}

/** GET /aws/jobs/{id} */
export interface AwsJob extends AwsJobSummary, Omit<AwsJobBody, 'jobId' | 'description' | 'targetSelection'> {
  targets: string[];
  comment?: string;
  reasonCode?: string;
  forceCanceled: boolean;
  jobProcessDetails: Record<ExecutionStatus, number>;
}

/** GET /aws/jobs/{id}/executions's query. */
export interface AwsExecutionQuery {
  offset: number;
  limit: number;
  status?: string;
  search?: string;
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

export interface AwsExecutionPage {
  total: number;
  matched: number;
  executions: AwsExecution[];
}

/** POST /aws/jobs/dry-run: devices notified per simulated minute, summed per `bucketMinutes`. */
export interface RolloutCurve {
  things: number;
  minutes: number;
  bucketMinutes: number;
  buckets: number[];
}

/** One entry of GET /aws/thing-groups. */
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
  etag: string;
  /** The object's S3 URL, as a job document names it. */
  url: string;
  placeholder: string;
}
