import type { OperationOutcomes, OperationRequest } from '../electron/domain/fleet-executor.js';
import { deviceCount } from './tasks/execute-operations.js';

/**
 * Cuts a request into consecutive slices of at most `sliceSize` devices: ranges by arithmetic, id lists and the
 * per-device arrays by copies (a typed-array view would post its whole underlying buffer to the worker).
 */
export function splitRequest(request: OperationRequest, sliceSize: number): OperationRequest[] {
  const { devices, profileIndex, connectivity } = request;
  const total = deviceCount(devices);
  const slices: OperationRequest[] = [];
  for (let start = 0; start < total; start += sliceSize) {
    const end = Math.min(start + sliceSize, total);
    slices.push({
      ...request,
      devices: 'ids' in devices ? { ids: devices.ids.slice(start, end) } : { prefix: devices.prefix, first: devices.first + start, count: end - start },
      profileIndex: profileIndex?.slice(start, end),
      connectivity: connectivity?.slice(start, end),
    });
  }
  return slices;
}

export function concatOutcomes(parts: OperationOutcomes[]): OperationOutcomes {
  const total = parts.reduce((sum, part) => sum + part.outcome.length, 0);
  const outcome = new Uint8Array(total);
  const latencyMs = new Uint32Array(total);
  let offset = 0;
  for (const part of parts) {
    outcome.set(part.outcome, offset);
    latencyMs.set(part.latencyMs, offset);
    offset += part.outcome.length;
  }
  return { outcome, latencyMs };
}
