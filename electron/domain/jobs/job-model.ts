import type { DeviceSlice } from '../fleet-executor.js';
import type { FailureKind, JobSpec } from './job-spec.js';

export type JobStatus = 'pending' | 'running' | 'stopped' | 'complete' | 'cancelled' | 'failed';
export type DeviceJobStatus = 'pending' | 'completed' | 'failed';

/** A job as persisted in the main data file; per-device state lives in the job's own files. */
export interface JobRecord {
  id: string;
  /** Creation order, for stable listing. */
  seq: number;
  spec: JobSpec;
  status: JobStatus;
  /** Its end time stopped releasing devices: a job that grows with its targets completes once those in flight answered. */
  releaseStopped?: boolean;
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
  /** The devices given when the job was created (a rerun's failed devices, or targets an API resolved), until it starts. */
  explicitTargets?: DeviceSlice[];
  /** What real devices said when they failed (a property ack's description), by device id; others show their status byte's reason. */
  deviceErrors?: Record<string, string>;
  /** Status bytes the service set on devices (a cancelled execution) before the job started, by device id; the start applies them. */
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
  'The device could not download the file the job document links to.',
  'The presigned URL of the job file expired before the device finished downloading it.',
] as const;

/** The kind of each reason, for abort and retry rules: a failed download fails the execution, as an agent reports it. */
const FAILURE_KINDS: readonly FailureKind[] = ['rejected', 'timedOut', 'failed', 'timedOut', 'timedOut', 'failed', 'failed'];

export const IN_PROGRESS_TIMEOUT = FAILED_BASE + 4;
export const DOWNLOAD_FAILED = FAILED_BASE + 5;
export const DOWNLOAD_EXPIRED = FAILED_BASE + 6;

/** Terminal states set by the service rather than by the device (an execution cancelled or removed). */
export const DEVICE_CANCELED = 200;
export const DEVICE_REMOVED = 201;

export const isFailure = (byte: number) => byte >= FAILED_BASE && byte < DEVICE_CANCELED;

export function deviceStatusOf(byte: number): DeviceJobStatus {
  return byte === DEVICE_PENDING ? 'pending' : byte === DEVICE_COMPLETED ? 'completed' : 'failed';
}

export function failureKindOf(byte: number): FailureKind | undefined {
  return byte >= FAILED_BASE && byte < DEVICE_CANCELED ? FAILURE_KINDS[byte - FAILED_BASE] : undefined;
}

export function failureReasonOf(byte: number): string | undefined {
  if (byte === DEVICE_CANCELED) return 'The job execution was canceled.';
  if (byte === DEVICE_REMOVED) return 'The job execution was removed.';
  return byte >= FAILED_BASE ? FAILURE_REASONS[byte - FAILED_BASE] : undefined;
}

export const isFinished = (status: JobStatus) => status === 'complete' || status === 'cancelled' || status === 'failed';
