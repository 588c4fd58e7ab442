import type { OperationOutcomes, OperationRequest } from '../../electron/domain/fleet-executor.js';
import { CONNECTIVITY, simulateDevice } from '../behavior.js';
import { DrawStream, extendKey, operationKey } from '../rng.js';

export function deviceCount(devices: OperationRequest['devices']): number {
  return 'ids' in devices ? devices.ids.length : devices.count;
}

/** Simulates every device of the request (or of one slice of it); device i's result lands at index i. */
export function executeOperations(request: OperationRequest): OperationOutcomes {
  const { devices, profiles, profileIndex, connectivity, kind, download } = request;
  const total = deviceCount(devices);
  const outcome = new Uint8Array(total);
  const latencyMs = new Uint32Array(total);
  const baseKey = operationKey(request.seed, request.salt);
  // Range ids share `${prefix}-`: hash it once and extend by the number only.
  const rangeKey = 'ids' in devices ? 0 : extendKey(baseKey, `${devices.prefix}-`);
  const draws = new DrawStream();

  for (let i = 0; i < total; i++) {
    const key = 'ids' in devices ? extendKey(baseKey, devices.ids[i] ?? '') : extendKey(rangeKey, String(devices.first + i));
    const profile = profiles[profileIndex?.[i] ?? 0];
    if (!profile) throw new RangeError(`Device ${i} of the operation names behaviour profile ${profileIndex?.[i] ?? 0}, which was not sent.`);
    const result = simulateDevice(kind, profile, connectivity?.[i] ?? CONNECTIVITY.byProfile, draws.reset(key), download);
    outcome[i] = result.outcome;
    latencyMs[i] = result.latencyMs;
  }
  return { outcome, latencyMs };
}
