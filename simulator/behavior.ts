import type { FileDownload, OperationKind, OperationRequest, Outcome, OUTCOME } from '../electron/domain/fleet-executor.js';
import { latencyFor } from './latency.js';
import { DrawStream, deviceKey } from './rng.js';

export type BehaviorProfile = OperationRequest['profiles'][number];

/** The domain's outcome codes; `satisfies` keeps them equal without a runtime import of domain code. */
export const OUTCOME_CODE = { succeeded: 0, rejected: 1, timedOut: 2, downloadFailed: 3, downloadExpired: 4 } as const satisfies typeof OUTCOME;

/** Values of OperationRequest.connectivity. */
export const CONNECTIVITY = { offline: 0, online: 1, byProfile: -1 } as const;

export const OFFLINE_COMMAND_MESSAGE = 'Could not connect to device in order to send command.';
const OFFLINE_PROPERTY_MESSAGE = 'The device did not acknowledge the property update before the timeout.';

export interface DeviceResult {
  outcome: Outcome;
  latencyMs: number;
}

/**
 * One device's answer, drawn from its own stream in a fixed order (offline, latency, failure) so the result is a
 * function of the stream's key, the profile and the connectivity only. A cloud property never reaches the device.
 */
export function simulateDevice(kind: OperationKind, profile: BehaviorProfile, connectivity: number, draws: DrawStream, download?: FileDownload): DeviceResult {
  if (kind === 'cloudProperty') return { outcome: OUTCOME_CODE.succeeded, latencyMs: 0 };
  const offlineDraw = draws.next();
  const latencyDraw = draws.next();
  const failureDraw = draws.next();
  const offline = connectivity === CONNECTIVITY.byProfile ? offlineDraw < profile.offlineRate : connectivity === CONNECTIVITY.offline;
  if (offline) return { outcome: OUTCOME_CODE.timedOut, latencyMs: profile.commandTimeoutMs };
  const latencyMs = latencyFor(profile.latencyMs, latencyDraw);
  const failureRate = kind === 'property' ? profile.propertyFailureRate : profile.commandFailureRate;
  if (failureDraw < failureRate) return { outcome: OUTCOME_CODE.rejected, latencyMs };
  return download && kind === 'command' ? downloadFirst(profile, download, latencyMs, draws.next()) : { outcome: OUTCOME_CODE.succeeded, latencyMs };
}

const MIB = 1024 * 1024;

/**
 * A device that downloads a file before it answers: it takes downloadMsPerMb per MiB, fails with
 * 1 - (1 - downloadFailureRatePerMb)^MiB, and fails when its URL expired before the download ended (each with its own
 * outcome, so the execution says why). The draw comes after the others, so jobs without a file keep the outcomes they
 * always had.
 */
function downloadFirst(profile: BehaviorProfile, download: FileDownload, latencyMs: number, draw: number): DeviceResult {
  const mib = download.bytes / MIB;
  const downloadMs = Math.round(mib * (profile.downloadMsPerMb ?? 0));
  const failureChance = 1 - (1 - (profile.downloadFailureRatePerMb ?? 0)) ** Math.max(mib, 0);
  const outcome = downloadMs > download.expiresMs ? OUTCOME_CODE.downloadExpired : draw < failureChance ? OUTCOME_CODE.downloadFailed : OUTCOME_CODE.succeeded;
  return { outcome, latencyMs: latencyMs + downloadMs };
}

/** A device's answer to a property write: status code, the desired version it answers, description. */
export interface PropertyAck {
  code: number;
  version?: number;
  description: string;
}

export interface CommandReply {
  responseCode: number;
  response: Record<string, unknown>;
}

const PROPERTY_REJECTIONS: readonly Omit<PropertyAck, 'version'>[] = [
  { code: 400, description: 'Rejected by the device: value out of range.' },
  { code: 400, description: 'Rejected by the device: invalid value.' },
  { code: 500, description: 'The device failed to apply the value.' },
];

const COMMAND_FAILURES: readonly { responseCode: number; message: string }[] = [
  { responseCode: 500, message: 'The command failed on the device.' },
  { responseCode: 400, message: 'The device rejected the command request.' },
  { responseCode: 503, message: 'The device is busy.' },
];

export interface SingleDeviceRequest {
  seed: number;
  /** The same salt as a bulk operation gives the same outcome as that operation had for this device. */
  salt: string;
  kind: OperationKind;
  deviceId: string;
  profile: BehaviorProfile;
  /** 1 online, 0 offline, -1 (default) decided by the profile's offlineRate. */
  connectivity?: number;
  /** The desired-properties version the write created; echoed as the acknowledgement's version. */
  desiredVersion?: number;
}

export interface SingleDeviceResult extends DeviceResult {
  /** Property writes the device answered (absent when it timed out). */
  ack?: PropertyAck;
  /** Commands the device answered (absent when it could not be reached). */
  reply?: CommandReply;
  /** Why the operation did not succeed, as a job's device status reports it. */
  error?: string;
}

function pick<T>(table: readonly T[], draw: number): T {
  return table[Math.floor(draw * table.length)] as T;
}

/** One device's property write, command or cloud property write, with the details an API answer needs. */
export function simulateOne(request: SingleDeviceRequest): SingleDeviceResult {
  const draws = new DrawStream(deviceKey(request.seed, request.salt, request.deviceId));
  const result = simulateDevice(request.kind, request.profile, request.connectivity ?? CONNECTIVITY.byProfile, draws);
  if (request.kind === 'cloudProperty') return result;
  const version = request.desiredVersion === undefined ? {} : { version: request.desiredVersion };
  if (result.outcome === OUTCOME_CODE.timedOut) {
    return { ...result, error: request.kind === 'command' ? OFFLINE_COMMAND_MESSAGE : OFFLINE_PROPERTY_MESSAGE };
  }
  const detailDraw = draws.next();
  if (request.kind === 'property') {
    if (result.outcome === OUTCOME_CODE.succeeded) return { ...result, ack: { code: 200, ...version, description: 'completed' } };
    const rejection = pick(PROPERTY_REJECTIONS, detailDraw);
    return { ...result, ack: { ...rejection, ...version }, error: rejection.description };
  }
  if (result.outcome === OUTCOME_CODE.succeeded) return { ...result, reply: { responseCode: 200, response: { status: 'completed' } } };
  const failure = pick(COMMAND_FAILURES, detailDraw);
  return { ...result, reply: { responseCode: failure.responseCode, response: { error: failure.message } }, error: failure.message };
}
