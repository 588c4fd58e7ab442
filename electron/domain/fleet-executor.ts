import type { BehaviorRecord } from '../store/records.js';

/**
 * What the job engine needs from a device fleet: the outcome of one operation on many devices at once.
 * host.ts hands the engine the simulator's worker pool; tests may hand it an in-thread executor.
 * Everything here is plain data so that it crosses worker-thread boundaries unchanged.
 */

export type OperationKind = 'property' | 'command' | 'cloudProperty';

/** Devices named `<prefix>-<n>` for n = first .. first+count-1, or an explicit list of ids. */
export type DeviceSlice = { prefix: string; first: number; count: number } | { ids: string[] };

export const OUTCOME = {
  /** Property acknowledged (code 200) or command answered with a 2xx status. */
  succeeded: 0,
  /** The device rejected the write or answered the command with an error status. */
  rejected: 1,
  /** The device was offline for the whole timeout. */
  timedOut: 2,
  /** The device's download of the job's file failed. */
  downloadFailed: 3,
  /** The file's presigned URL expired before the device's download of it ended. */
  downloadExpired: 4,
} as const;
export type Outcome = (typeof OUTCOME)[keyof typeof OUTCOME];

/** A file the device downloads before it answers: latency and failure follow its size and the behaviour profile. */
export interface FileDownload {
  bytes: number;
  /** The URL expires this long after the device started: a download still running then fails. */
  expiresMs: number;
}

export interface OperationRequest {
  /** The simulation seed; with `salt` and each device id it fixes every device's outcome. */
  seed: number;
  /** Distinguishes operations, e.g. `${jobId}/${attempt}`, so reruns draw fresh outcomes. */
  salt: string;
  kind: OperationKind;
  devices: DeviceSlice;
  /** Distinct behaviour profiles; `profileIndex[i]` picks device i's (all devices use profiles[0] when absent). */
  profiles: BehaviorRecord[];
  profileIndex?: Uint16Array;
  /** Explicit connectivity per device: 1 online, 0 offline, -1 decided by the profile's offlineRate. */
  connectivity?: Int8Array;
  /** Every device downloads this file before it answers (commands only). */
  download?: FileDownload;
}

export interface OperationOutcomes {
  /** One OUTCOME code per device, in the request's device order. */
  outcome: Uint8Array;
  /** Simulated milliseconds from the start of the operation to the device's answer (or to the timeout). */
  latencyMs: Uint32Array;
}

export interface FleetExecutor {
  execute(request: OperationRequest): Promise<OperationOutcomes>;
  close(): Promise<void>;
}
