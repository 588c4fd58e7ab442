import { createHash } from 'node:crypto';
import { OUTCOME, type DeviceSlice, type FleetExecutor, type OperationRequest } from '../../electron/domain/fleet-executor.js';
import type { FleetDirectory } from '../../electron/domain/jobs/job-engine.js';
import { notFound } from '../../electron/domain/errors.js';
import { DEFAULT_BEHAVIOR, type BehaviorRecord } from '../../electron/store/records.js';

const ids = (slice: DeviceSlice) => ('ids' in slice ? slice.ids : Array.from({ length: slice.count }, (_, i) => `${slice.prefix}-${slice.first + i}`));

function draw(...parts: (string | number)[]): number {
  return createHash('sha1').update(parts.join('/')).digest().readUInt32BE(0) / 2 ** 32;
}

/** An in-thread executor for engine tests: hash-based outcomes at the profile's failure rate. */
export function fakeExecutor(): FleetExecutor & { requests: OperationRequest[] } {
  const requests: OperationRequest[] = [];
  return {
    requests,
    async execute(request) {
      requests.push(request);
      const list = ids(request.devices);
      const profile = request.profiles[0]!;
      const outcome = new Uint8Array(list.length);
      const latencyMs = new Uint32Array(list.length);
      list.forEach((id, i) => {
        const rate = request.kind === 'command' ? profile.commandFailureRate : profile.propertyFailureRate;
        const offline = request.connectivity?.[i] === 0 || draw(request.seed, request.salt, id, 'offline') < profile.offlineRate;
        outcome[i] = offline ? OUTCOME.timedOut : draw(request.seed, request.salt, id) < rate ? OUTCOME.rejected : OUTCOME.succeeded;
        const { min, max } = profile.latencyMs;
        latencyMs[i] = offline ? profile.commandTimeoutMs : min + Math.floor(draw(request.seed, request.salt, id, 'latency') * (max - min + 1));
      });
      return { outcome, latencyMs };
    },
    async close() {},
  };
}

/** Groups `<name>` of `count` devices `<name>-1..count`, with one behaviour profile for all. */
export function fakeFleet(
  groups: Record<string, number>,
  behavior: Partial<BehaviorRecord> = {},
  external: ReadonlySet<string> = new Set(),
): FleetDirectory & { behavior: BehaviorRecord } {
  const profile = { ...DEFAULT_BEHAVIOR, ...behavior };
  return {
    behavior: profile,
    resolveGroup(groupId) {
      const count = groups[groupId];
      if (count === undefined) throw notFound('Device group', groupId);
      return { slices: [{ prefix: groupId, first: 1, count }], total: count };
    },
    // Device ids are built only when some device is external: a 10M-device range must stay a range.
    behaviorFor: (slices) =>
      external.size === 0 ? { profiles: [profile] } : { profiles: [profile], external: Uint8Array.from(slices.flatMap(ids), (id) => (external.has(id) ? 1 : 0)) },
    normalizeJobValue: (_template, _kind, _path, value) => value,
  };
}
