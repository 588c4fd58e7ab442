/**
 * What Fleetlab's own API (/_fleetlab, electron/api/control/routes/*) takes and answers: the static types of the
 * control API's TypeBox schemas (GET /events's too), under the names the renderer uses. Hand-written here only what no
 * schema describes: the client-side query parameters.
 */
import type { AwsExecutionPage, AwsJob as AwsJobSchema, AwsJobCreateBody, AwsJobSummary as AwsJobSummarySchema, RolloutCurve as RolloutCurveSchema, StoredFile as StoredFileSchema, ThingGroups } from '../../../electron/api/control/schema/aws-jobs';
import type { ConnectedDevices } from '../../../electron/api/control/schema/devices';
import type { BatchCounts as BatchCountsSchema, JobProgressEvent as JobProgressEventSchema, JobSummary as JobSummarySchema } from '../../../electron/api/control/schema/events';
import type { DevicePage as DevicePageSchema, DeviceRow as DeviceRowSchema, FleetBody as FleetBodySchema, FleetCreated as FleetCreatedSchema, FleetSummary as FleetSummarySchema, GroupPreview as GroupPreviewSchema, NextRuns as NextRunsSchema } from '../../../electron/api/control/schema/fleet';
import type { Info } from '../../../electron/api/control/schema/info';
import type { Capabilities, JobDevicePage as JobDevicePageSchema, JobDryRun, JobDryRunBody, JobOutcomes } from '../../../electron/api/control/schema/jobs';
import type { CapturedBody as CapturedBodySchema, LoggedRequest as LoggedRequestSchema, RequestPage as RequestPageSchema, RequestSummary as RequestSummarySchema } from '../../../electron/api/control/schema/requests';
import type { Behavior as BehaviorSchema, DeviceBehavior, DeviceBehaviorBody as DeviceBehaviorBodySchema, Simulation as SimulationSchema, SimulationBody as SimulationBodySchema, TemplateBehavior } from '../../../electron/api/control/schema/simulation';

/** GET /info */
export type FleetlabInfo = Info;

/** One entry of GET /connected-devices. */
export type ConnectedDevice = ConnectedDevices['value'][number];

/** GET /fleet/summary */
export type FleetSummary = FleetSummarySchema;
/** POST /fleet */
export type FleetBody = FleetBodySchema;
export type FleetCreated = FleetCreatedSchema;

/** One row of GET /devices: the IoT Central device with its simulated connectivity. */
export type DeviceRow = DeviceRowSchema;
export type DevicePage = DevicePageSchema;

/** GET /devices's filter, before it becomes query text. */
export interface DeviceQuery {
  /** The start of a device id or name. */
  search?: string;
  template?: string;
  connection?: 'online' | 'offline' | 'profile';
  simulated?: boolean;
  order?: 'oldest' | 'newest';
}

export type Behavior = BehaviorSchema;
/** GET/PUT /templates/{id}/behavior */
export type BehaviorView = TemplateBehavior;
/** GET/PUT /devices/{id}/behavior */
export type DeviceBehaviorView = DeviceBehavior;
export type DeviceBehaviorBody = DeviceBehaviorBodySchema;

/** POST /groups/preview */
export type GroupPreview = GroupPreviewSchema;
/** GET /scheduled-jobs/next-runs: each scheduled job's next run, null when it runs no more. */
export type NextRuns = NextRunsSchema;

/** GET/PUT /simulation */
export type Simulation = SimulationSchema;
export type SimulationBody = SimulationBodySchema;

/** One row of GET /requests. */
export type RequestSummary = RequestSummarySchema;
export type RequestPage = RequestPageSchema;
export type CapturedBody = CapturedBodySchema;
/** GET /requests/{id} */
export type LoggedRequest = LoggedRequestSchema;

/** A job as the `jobs` event of GET /events summarises it. */
export type JobSummary = JobSummarySchema;
export type BatchCounts = BatchCountsSchema;
/** The `job` event of GET /events?job={id}: one job's summary, per-batch counts and the simulated time it was taken at. */
export type JobProgressEvent = JobProgressEventSchema;

export type JobDevicePage = JobDevicePageSchema;
export type JobDevice = JobDevicePage['devices'][number];
export type JobDeviceStatus = JobDevice['status'];

/** GET /jobs/{id}/devices's query, before it becomes query text. */
export interface JobDeviceQuery {
  offset: number;
  limit: number;
  status?: JobDeviceStatus;
  search?: string;
}

/** GET /jobs/{id}/outcomes: completions and failures over simulated time; `batches`: spread over its batches, not recorded per device. */
export type OutcomeHistory = JobOutcomes;

/** POST /jobs/dry-run: how many devices and batches a job on a group would have now. */
export type DryRun = JobDryRun;
export type DryRunBody = JobDryRunBody;

/** One entry of GET /templates/{id}/capabilities. */
export type Capability = Capabilities['value'][number];

/** POST /aws/jobs: CreateJob's members, with targets by name. */
export type AwsJobBody = AwsJobCreateBody;
export type AwsTargets = Pick<AwsJobBody, 'thingGroupNames' | 'thingNames'>;
export type RolloutConfig = NonNullable<AwsJobBody['jobExecutionsRolloutConfig']>;
export type FailureType = NonNullable<AwsJobBody['abortConfig']>['criteriaList'][number]['failureType'];

/** What POST /aws/jobs and POST /aws/jobs/{id}/cancel answer. */
export type AwsJobSummary = AwsJobSummarySchema;
/** GET /aws/jobs/{id} */
export type AwsJob = AwsJobSchema;

/** GET /aws/jobs/{id}/executions's query, before it becomes query text. */
export interface AwsExecutionQuery {
  offset: number;
  limit: number;
  status?: string;
  search?: string;
}

export type { AwsExecutionPage };
export type AwsExecution = AwsExecutionPage['executions'][number];
export type ExecutionStatus = AwsExecution['status'];

/** POST /aws/jobs/dry-run: devices notified per simulated minute, summed per `bucketMinutes`. */
export type RolloutCurve = RolloutCurveSchema;

/** One entry of GET /aws/thing-groups. */
export type ThingGroup = ThingGroups['value'][number];

/** PUT /_fleetlab/aws/files/{bucket}/{key}: a file now in the local S3, and the placeholder a job document names it with. */
export type StoredFile = StoredFileSchema;
