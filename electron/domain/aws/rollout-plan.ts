import { rateLimited } from '../jobs/release-policy.js';
import type { RolloutRate } from './aws-job-model.js';
import { releaseRateOf } from './aws-job-spec.js';

const MINUTE = 60_000;
/** Bars of a rollout curve; longer rollouts are summed into buckets of several minutes. */
const MAX_BARS = 60;

/** Devices notified per simulated minute (summed per bucket of `bucketMinutes` when the rollout is long). */
export interface RolloutCurve {
  things: number;
  /** Simulated minutes from the first notification to the last, inclusive. */
  minutes: number;
  bucketMinutes: number;
  buckets: number[];
}

/**
 * The rollout of `total` things as the engine's own release policy would pace it, assuming every notified thing
 * succeeds before the next minute (the most a rate-increase criterion on successes can allow).
 */
export function rolloutCurve(rollout: RolloutRate, total: number): RolloutCurve {
  const policy = rateLimited(releaseRateOf(rollout));
  const perMinute: number[] = [];
  let released = 0;
  let succeeded = 0;
  let now = 0;
  for (;;) {
    const next = policy.next({ total, released, inFlight: 0, now, succeeded });
    if (next === 'done' || next === 'afterInFlight') break;
    succeeded = released;
    released += next.count;
    now = next.at;
    const minute = Math.round(now / MINUTE);
    perMinute[minute] = (perMinute[minute] ?? 0) + next.count;
  }
  const minutes = perMinute.length;
  const bucketMinutes = Math.max(1, Math.ceil(minutes / MAX_BARS));
  const buckets: number[] = [];
  for (let minute = 0; minute < minutes; minute++) {
    const bucket = Math.floor(minute / bucketMinutes);
    buckets[bucket] = (buckets[bucket] ?? 0) + (perMinute[minute] ?? 0);
  }
  return { things: total, minutes, bucketMinutes, buckets };
}
