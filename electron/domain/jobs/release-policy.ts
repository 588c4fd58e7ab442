import type { CountOrPercentage } from './job-model.js';

export interface ReleaseState {
  total: number;
  /** Devices released so far (positions [0, released) have been started at least once). */
  released: number;
  inFlight: number;
  now: number;
}

/** Start `count` more devices at simulated time `at`; or wait until nothing is in flight; or nothing is left. */
export type Release = { count: number; at: number } | 'afterInFlight' | 'done';

/** When the engine may start more devices. IoT Central batches today; AWS rollout rates plug in here too. */
export interface ReleasePolicy {
  next(state: ReleaseState): Release;
}

export function sizeOf(spec: CountOrPercentage, total: number): number {
  return spec.type === 'number' ? spec.value : (total * spec.value) / 100;
}

/** IoT Central batches: all devices of a batch start together; a batch starts when the previous one has finished. */
export function sequentialBatches(batch: CountOrPercentage | undefined): ReleasePolicy {
  return {
    next({ total, released, inFlight, now }) {
      if (released >= total) return 'done';
      if (inFlight > 0) return 'afterInFlight';
      return { count: Math.min(batchSizeOf(batch, total), total - released), at: now };
    },
  };
}

export function batchSizeOf(batch: CountOrPercentage | undefined, total: number): number {
  return batch ? Math.max(1, Math.ceil(sizeOf(batch, total))) : Math.max(total, 1);
}
