/**
 * The control API's wire types, each the static type of the TypeBox schema its route declares. The renderer imports
 * them type-only (`import type { … } from '…/electron/api/control/schema/index.js'`).
 */
export type {
  AwsExecutionPage,
  AwsExecutionsQuery,
  AwsJob,
  AwsJobCancelBody,
  AwsJobCreateBody,
  AwsJobDryRunBody,
  AwsJobList,
  AwsJobsQuery,
  AwsJobSummary,
  RolloutCurve,
  ThingGroups,
} from './aws-jobs.js';
export type { CentralErrorBody } from '../../central/errors.js';
export type { DevicePage, DeviceRow, DevicesQuery, Fleet, FleetBody, FleetCreated, Fleets, FleetSummary, GroupPreview, GroupPreviewBody, NextRuns } from './fleet.js';
export type { EventsQuery, Info, SessionCode } from './info.js';
export type { Capabilities, JobDevicePage, JobDevicesQuery, JobDryRun, JobDryRunBody, JobOutcomes } from './jobs.js';
export type { CapturedBody, LoggedRequest, RequestListQuery, RequestPage, RequestSummary } from './requests.js';
export type {
  Behavior,
  BehaviorOverride,
  ClockAdvanceBody,
  DeviceBehavior,
  DeviceBehaviorBody,
  SimulatedNow,
  Simulation,
  SimulationBody,
  TemplateBehavior,
  TemplateBehaviorBody,
} from './simulation.js';
