/**
 * The control API's wire types, each the static type of the TypeBox schema its route declares. The renderer imports
 * them type-only (`import type { … } from '…/electron/api/control/schema/index.js'`).
 */
export type { AwsExecutionPage, AwsJob, AwsJobCancelBody, AwsJobCreateBody, AwsJobDryRunBody, AwsJobList, AwsJobSummary, RolloutCurve, ThingGroups } from './aws-jobs.js';
export type { CentralErrorBody } from '../../central/errors.js';
export type { DevicePage, DeviceRow, DevicesQuery, FleetBody, FleetCreated, Fleets, FleetSummary, GroupPreview, NextRuns } from './fleet.js';
export type { Info, SessionCode } from './info.js';
export type { Capabilities, JobDevicePage, JobDevicesQuery, JobDryRun, JobDryRunBody, JobOutcomes } from './jobs.js';
export type { CapturedBody, LoggedRequest, RequestPage, RequestSummary } from './requests.js';
export type { Behavior, DeviceBehavior, DeviceBehaviorBody, Simulation, SimulationBody, TemplateBehavior } from './simulation.js';
