import type { DeviceSlice, FleetExecutor, OperationKind, OperationOutcomes } from '../fleet-executor.js';
import type { DeviceBehaviors } from './run-dependencies.js';
import type { JobRecord } from './job-model.js';
import type { OperationKind as SpecOperationKind } from './job-spec.js';
import { OutcomeTimeline } from './outcome-timeline.js';

/** Operation kinds that reach a simulated device, and how; the others resolve without a device round-trip. */
const SIMULATED_KINDS: Partial<Record<SpecOperationKind, OperationKind>> = { property: 'property', command: 'command', document: 'command' };

export interface AttemptDependencies {
  executor: FleetExecutor;
  behaviorFor(slices: DeviceSlice[]): DeviceBehaviors;
  seed(): number;
}

/** One attempt of every operation of the job on the devices given: their outcomes and latencies, in order. */
export async function attemptOnDevices(deps: AttemptDependencies, job: JobRecord, slices: DeviceSlice[], count: number, retry: number): Promise<OutcomeTimeline> {
  const kinds = job.spec.operations.map((op) => SIMULATED_KINDS[op.kind] ?? 'cloudProperty');
  const results = await Promise.all(kinds.map((kind, index) => executeOperation(deps, job, kind, index, slices, count, retry)));
  const timeoutMinutes = job.spec.inProgressTimeoutMinutes;
  return new OutcomeTimeline(kinds, results, count, timeoutMinutes === undefined ? Infinity : timeoutMinutes * 60_000);
}

/** One operation on every device given, a simulator request per slice, outcomes concatenated in order. */
async function executeOperation(
  deps: AttemptDependencies,
  job: JobRecord,
  kind: OperationKind,
  index: number,
  slices: DeviceSlice[],
  count: number,
  retry: number,
): Promise<OperationOutcomes> {
  const merged = { outcome: new Uint8Array(count), latencyMs: new Uint32Array(count) };
  if (kind === 'cloudProperty') return merged;
  const salt = retry === 0 ? `${job.id}/${index}` : `${job.id}/${index}/retry-${retry}`;
  const download = job.spec.operations[index]?.download;
  const parts = await Promise.all(
    slices.map((devices) => deps.executor.execute({ seed: deps.seed(), salt, kind, devices, ...deps.behaviorFor([devices]), ...(download && { download }) })),
  );
  let offset = 0;
  for (const part of parts) {
    merged.outcome.set(part.outcome, offset);
    merged.latencyMs.set(part.latencyMs, offset);
    offset += part.outcome.length;
  }
  return merged;
}
