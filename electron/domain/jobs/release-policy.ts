import type { CountOrPercentage } from './job-model.js';

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

export interface RolloutRate {
  maximumPerMinute?: number;
  exponentialRate?: {
    baseRatePerMinute: number;
    incrementFactor: number;
    rateIncreaseCriteria: { numberOfNotifiedThings?: number; numberOfSucceededThings?: number };
  };
}

const MINUTE = 60_000;
/** AWS IoT's default when a job has no rollout configuration. */
const DEFAULT_MAXIMUM_PER_MINUTE = 1000;

/**
 * AWS IoT rollouts: each simulated minute notifies up to the current rate; with an exponential rate the rate starts at
 * baseRatePerMinute and is multiplied by incrementFactor (rounded down, capped at maximumPerMinute) each time another
 * `numberOfNotifiedThings` were notified or `numberOfSucceededThings` succeeded since the last increase.
 */
export function rateLimited(config: RolloutRate): ReleasePolicy {
  const maximum = config.maximumPerMinute ?? DEFAULT_MAXIMUM_PER_MINUTE;
  const ramp = config.exponentialRate;
  let rate = ramp ? Math.min(ramp.baseRatePerMinute, maximum) : maximum;
  let nextAt: number | undefined;
  let notifiedMark = 0;
  let succeededMark = 0;
  return {
    next({ total, released, now, succeeded = 0 }) {
      if (released >= total) return 'done';
      if (ramp) {
        const { numberOfNotifiedThings: notified, numberOfSucceededThings: successes } = ramp.rateIncreaseCriteria;
        const increase = (notified !== undefined && released - notifiedMark >= notified) || (successes !== undefined && succeeded - succeededMark >= successes);
        if (increase && rate < maximum) {
          rate = Math.min(maximum, Math.max(rate + 1, Math.floor(rate * ramp.incrementFactor)));
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
