/**
 * What a job is to the engine, whichever API made it: each API maps its wire body to this and keeps its own echo of
 * what the client sent. Nothing here is spelled the way a wire format spells it.
 */
import type { FileDownload } from '../fleet-executor.js';

/** How devices take part: `document` is a job document a simulated device executes like a command. */
export type OperationKind = 'property' | 'command' | 'cloudProperty' | 'templateMigration' | 'manifestMigration' | 'document';

export interface JobOperation {
  kind: OperationKind;
  /** The device template whose capability the operation uses. */
  target?: string;
  path?: string;
  /** The value as the client sent it. */
  value?: unknown;
  /** The value devices receive, normalised to the capability's schema (the engine sets it when it checks the spec). */
  deviceValue?: unknown;
  /** Migration jobs: the device template or edge manifest to move devices to. */
  template?: string;
  manifest?: string;
  /** A file each simulated device downloads first (an AWS job document's presigned URLs). */
  download?: FileDownload;
}

export interface CountOrPercentage {
  type: 'number' | 'percentage';
  value: number;
}

/** How a device's failure counts toward abort and retry rules. */
export type FailureKind = 'failed' | 'rejected' | 'timedOut';

/** Devices a rate-based release notifies per simulated minute, optionally ramping up from a base rate. */
export interface ReleaseRate {
  maximumPerMinute?: number;
  ramp?: {
    basePerMinute: number;
    /** The rate is multiplied by this each time one of the thresholds below is passed again. */
    factor: number;
    afterNotified?: number;
    afterSucceeded?: number;
  };
}

/** Batches: each starts when the previous one has finished (one batch of every device without a size). Rate: per minute. */
export type ReleaseSpec = { kind: 'batches'; batch?: CountOrPercentage } | { kind: 'rate'; rate: ReleaseRate };

export interface FailureRateRule {
  failure: FailureKind | 'any';
  /** Abort when failures of that kind reach this percentage of the devices that executed... */
  percentage: number;
  /** ...once at least this many have. */
  minExecuted: number;
}

/** Threshold: cancel once failures exceed a count or percentage, per batch or across the job. Failure rates: see the rule. */
export type AbortSpec = ({ kind: 'threshold'; perBatch?: boolean } & CountOrPercentage) | { kind: 'failureRates'; rules: FailureRateRule[] };

export interface RetryRule {
  failure: FailureKind | 'any';
  retries: number;
}

/** What happens at a job's end time: no more devices are released, or the job is cancelled (abandoning those in flight with forceCancel). */
export type EndMode = 'stopReleasing' | 'cancel' | 'forceCancel';

/** A window that opens at each time a cron expression names (six fields: minutes to years) and stays open that long. */
export interface RecurringWindow {
  cron: string;
  durationMinutes: number;
}

export interface TimeWindow {
  /** Simulated ms before which the job does not start (it stays pending). */
  startAt?: number;
  endAt?: { at: number; mode: EndMode };
  /** Devices are released only inside one of these. */
  recurring?: RecurringWindow[];
}

/** A device group's members when the job starts, or the devices given when the job is created. */
type TargetSpec = { kind: 'group'; group: string } | { kind: 'devices' };

export interface JobSpec {
  displayName?: string;
  description?: string;
  targets: TargetSpec;
  operations: JobOperation[];
  release: ReleaseSpec;
  abort?: AbortSpec;
  retry?: RetryRule[];
  /** A device still answering after this long fails as timed out. */
  inProgressTimeoutMinutes?: number;
  window?: TimeWindow;
  /** The job never completes by itself: devices added to its targets later run too, until it is cancelled. */
  growsWithTargets?: boolean;
}

/** What can change on a job after it was created (the rest is fixed); a running job reads it on each attempt. */
export type JobSpecUpdate = Partial<Pick<JobSpec, 'description' | 'release' | 'abort' | 'retry' | 'inProgressTimeoutMinutes'>>;

export const groupOf = (spec: JobSpec): string | undefined => (spec.targets.kind === 'group' ? spec.targets.group : undefined);

export const batchOf = (spec: JobSpec): CountOrPercentage | undefined => (spec.release.kind === 'batches' ? spec.release.batch : undefined);

/** How often a device whose attempt failed that way may be tried again. */
export const retriesAllowed = (rules: readonly RetryRule[] | undefined, kind: FailureKind): number =>
  (rules ?? []).reduce((max, { failure, retries }) => (failure === 'any' || failure === kind ? Math.max(max, retries) : max), 0);
