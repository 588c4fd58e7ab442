import type { CountOrPercentage, ReleaseRate, ReleaseSpec } from './job-spec.js';

export interface ReleaseState {
  total: number;
  /** Devices released so far (positions [0, released) have been started at least once). */
  released: number;
  inFlight: number;
  now: number;
  /** Devices that succeeded so far (rate increase criteria). */
  succeeded?: number;
}

/** Start `count` more devices at simulated time `at`; or wait until nothing is in flight; or nothing is left. */
export type Release = { count: number; at: number } | 'afterInFlight' | 'done';

/** When the engine may start more devices: in batches, or at a rate. */
export interface ReleasePolicy {
  next(state: ReleaseState): Release;
}

export function sizeOf(spec: CountOrPercentage, total: number): number {
  return spec.type === 'number' ? spec.value : (total * spec.value) / 100;
}

export function releasePolicyOf(spec: ReleaseSpec): ReleasePolicy {
  return spec.kind === 'rate' ? rateLimited(spec.rate) : sequentialBatches(spec.batch);
}

/** Batches: all devices of a batch start together; a batch starts when the previous one has finished. */
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

const MINUTE = 60_000;
/** The rate when a rate-based release names no maximum (AWS IoT's default, the one API that releases by rate). */
const DEFAULT_MAXIMUM_PER_MINUTE = 1000;

/**
 * Rate-based release: each simulated minute notifies up to the current rate; with a ramp the rate starts at
 * basePerMinute and is multiplied by factor (rounded down, capped at maximumPerMinute) each time another
 * `afterNotified` devices were notified or `afterSucceeded` succeeded since the last increase.
 */
export function rateLimited(config: ReleaseRate): ReleasePolicy {
  const maximum = config.maximumPerMinute ?? DEFAULT_MAXIMUM_PER_MINUTE;
  const ramp = config.ramp;
  let rate = ramp ? Math.min(ramp.basePerMinute, maximum) : maximum;
  let nextAt: number | undefined;
  let notifiedMark = 0;
  let succeededMark = 0;
  return {
    next({ total, released, now, succeeded = 0 }) {
      if (released >= total) return 'done';
      if (ramp) {
        const { afterNotified: notified, afterSucceeded: successes } = ramp;
        const increase = (notified !== undefined && released - notifiedMark >= notified) || (successes !== undefined && succeeded - succeededMark >= successes);
        if (increase && rate < maximum) {
          rate = Math.min(maximum, Math.max(rate + 1, Math.floor(rate * ramp.factor)));
          notifiedMark = released;
          succeededMark = succeeded;
        }
      }
      const at = nextAt === undefined ? now : Math.max(nextAt, now);
      nextAt = at + MINUTE;
      return { count: Math.min(rate, total - released), at };
    },
  };
}
