import type { DeviceSlice } from '../fleet-executor.js';
import type { AbortCriterion, FailureType } from './abort-policy.js';
import type { RolloutRate } from './release-policy.js';

export type JobStatus = 'pending' | 'running' | 'stopped' | 'complete' | 'cancelled' | 'failed';
export type DeviceJobStatus = 'pending' | 'completed' | 'failed';
/** `document`: an AWS IoT job document, which a simulated device executes like a command. */
export type OperationType = 'property' | 'command' | 'cloudProperty' | 'deviceTemplateMigration' | 'deviceManifestMigration' | 'document';

export interface JobOperation {
  type: OperationType;
  /** The spelling the client used for `type` (e.g. PropertyJobData), echoed back. */
  typeAsSent: string;
  target?: string;
  path?: string;
  /** The value as the client sent it, echoed back in the job. */
  value?: unknown;
  /** The value devices receive, normalised to the capability's schema (the how-to sends "55" for a double). */
  deviceValue?: unknown;
  /** Migration jobs: the device template or edge manifest to move devices to. */
  template?: string;
  manifest?: string;
}

export interface CountOrPercentage {
  type: 'number' | 'percentage';
  value: number;
}

export interface RetryCriterion {
  failureType: 'FAILED' | 'TIMED_OUT' | 'ALL';
  numberOfRetries: number;
}

export interface JobDefinition {
  displayName?: string;
  description?: string;
  group: string;
  batch?: CountOrPercentage;
  cancellationThreshold?: CountOrPercentage & { batch?: boolean };
  data: JobOperation[];
  organizations?: string[];
  scheduledJobId?: string;
  /** Rate-based rollout (AWS IoT); without it devices are released in batches. */
  rollout?: RolloutRate;
  /** AWS IoT abort criteria; without them the IoT Central cancellation threshold applies. */
  abortCriteria?: AbortCriterion[];
  /** A device still answering after this long fails as timed out. */
  inProgressTimeoutMinutes?: number;
  /** Retries per failure type before a device's failure is final. */
  retries?: RetryCriterion[];
  /** Which API created the job; IoT Central lists only its own. */
  dialect?: 'central' | 'aws';
  /** The job never completes by itself: devices added to its targets later (appendTargets) run too. */
  continuous?: boolean;
  /** Simulated ms before which the job does not start (it stays pending). */
  notBefore?: number;
  /** What happens at a simulated time: stop releasing devices, cancel, or cancel abandoning in-flight devices. */
  endAt?: { at: number; behavior: 'STOP_ROLLOUT' | 'CANCEL' | 'FORCE_CANCEL' };
  /** Recurring windows devices may be released in (AWS maintenance windows; the engine's gateFor interprets them). */
  maintenanceWindows?: { startTime: string; durationInMinutes: number }[];
}

/** A job as persisted in the main data file; per-device state lives in the job's own files. */
export interface JobRecord {
  id: string;
  /** Creation order, for stable listing. */
  seq: number;
  definition: JobDefinition;
  status: JobStatus;
  /** When a job created while a slot was free was asked for (simulated ms); it becomes `start`. */
  admittedAt?: number;
  /** Simulated ms epoch. */
  start?: number;
  end?: number;
  total?: number;
  completed: number;
  failed: number;
  /** Why the job could not run, when status is failed. */
  failure?: string;
  rerunOf?: string;
  /** Explicit target for reruns: the original's failed devices. */
  explicitTargets?: DeviceSlice[];
  /** What real devices said when they failed (a property ack's `ad`), by device id; others show their status byte's reason. */
  deviceErrors?: Record<string, string>;
  /** Status bytes the service set on devices (AWS CancelJobExecution) before the job started, by device id; the start applies them. */
  resolvedBeforeStart?: Record<string, number>;
}

/** Per-device state byte: 0 pending, 1 completed, FAILED_BASE + reason index for failures. */
export const DEVICE_PENDING = 0;
export const DEVICE_COMPLETED = 1;
export const FAILED_BASE = 2;

export const FAILURE_REASONS = [
  'The device rejected the property update.',
  'The device did not acknowledge the property update before the timeout.',
  'The device responded to the command with an error status.',
  'Could not connect to device in order to send command.',
  'The device did not finish within the in-progress timeout.',
] as const;

/** The AWS IoT failure type of each reason, for abort and retry criteria. */
const FAILURE_TYPES: readonly FailureType[] = ['REJECTED', 'TIMED_OUT', 'FAILED', 'TIMED_OUT', 'TIMED_OUT'];

export const IN_PROGRESS_TIMEOUT = FAILED_BASE + 4;

/** Terminal states set by the service rather than by the device (AWS CancelJobExecution, DeleteJobExecution). */
export const DEVICE_CANCELED = 200;
export const DEVICE_REMOVED = 201;

export const isFailure = (byte: number) => byte >= FAILED_BASE && byte < DEVICE_CANCELED;

export function deviceStatusOf(byte: number): DeviceJobStatus {
  return byte === DEVICE_PENDING ? 'pending' : byte === DEVICE_COMPLETED ? 'completed' : 'failed';
}

export function failureTypeOf(byte: number): FailureType | undefined {
  return byte >= FAILED_BASE && byte < DEVICE_CANCELED ? FAILURE_TYPES[byte - FAILED_BASE] : undefined;
}

export function failureReasonOf(byte: number): string | undefined {
  if (byte === DEVICE_CANCELED) return 'The job execution was canceled.';
  if (byte === DEVICE_REMOVED) return 'The job execution was removed.';
  return byte >= FAILED_BASE ? FAILURE_REASONS[byte - FAILED_BASE] : undefined;
}

export const isFinished = (status: JobStatus) => status === 'complete' || status === 'cancelled' || status === 'failed';
