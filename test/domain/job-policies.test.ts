import { describe, expect, it } from 'vitest';
import { releaseRateOf } from '../../electron/domain/aws/aws-job-spec.js';
import { cancellationThreshold, failureRates } from '../../electron/domain/jobs/abort-policy.js';
import { rateLimited, sequentialBatches, type Release } from '../../electron/domain/jobs/release-policy.js';

const MINUTE = 60_000;

/** Releases a policy makes when every release resolves at once and `succeeds` of each release succeed. */
function ramp(policy: ReturnType<typeof rateLimited>, total: number, succeeds = (n: number) => n) {
  const releases: { count: number; at: number }[] = [];
  let released = 0;
  let succeeded = 0;
  for (let guard = 0; guard < 1000; guard++) {
    const next: Release = policy.next({ total, released, inFlight: 0, now: 0, succeeded });
    if (next === 'done' || next === 'afterInFlight') break;
    releases.push(next);
    released += next.count;
    succeeded += succeeds(next.count);
  }
  return releases;
}

describe('release policies', () => {
  it('IoT Central batches: ceil(percentage), at least one, each after the previous finished', () => {
    const policy = sequentialBatches({ type: 'percentage', value: 25 });
    expect(policy.next({ total: 10, released: 0, inFlight: 0, now: 5 })).toEqual({ count: 3, at: 5 });
    expect(policy.next({ total: 10, released: 3, inFlight: 3, now: 5 })).toBe('afterInFlight');
    expect(policy.next({ total: 10, released: 9, inFlight: 0, now: 5 })).toEqual({ count: 1, at: 5 });
    expect(policy.next({ total: 10, released: 10, inFlight: 0, now: 5 })).toBe('done');
    expect(sequentialBatches(undefined).next({ total: 7, released: 0, inFlight: 0, now: 0 })).toEqual({ count: 7, at: 0 });
  });

  it('AWS maximumPerMinute: that many per simulated minute', () => {
    const releases = ramp(rateLimited({ maximumPerMinute: 40 }), 100);
    expect(releases).toEqual([
      { count: 40, at: 0 },
      { count: 40, at: MINUTE },
      { count: 20, at: 2 * MINUTE },
    ]);
  });

  it('AWS exponential rate: multiplies by incrementFactor each time the notified criterion is met, capped', () => {
    const releases = ramp(
      rateLimited(releaseRateOf({ maximumPerMinute: 100, exponentialRate: { baseRatePerMinute: 10, incrementFactor: 2, rateIncreaseCriteria: { numberOfNotifiedThings: 10 } } })),
      400,
    );
    expect(releases.map((r) => r.count)).toEqual([10, 20, 40, 80, 100, 100, 50]);
    expect(releases.map((r) => r.at / MINUTE)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('AWS exponential rate on succeeded things waits until enough succeeded', () => {
    const releases = ramp(
      rateLimited(releaseRateOf({ exponentialRate: { baseRatePerMinute: 10, incrementFactor: 1.5, rateIncreaseCriteria: { numberOfSucceededThings: 20 } } })),
      120,
      (n) => Math.floor(n / 2),
    );
    // Half of each release succeeds: 20 successes take four minutes at 10, then 15/min until 20 more succeeded.
    expect(releases.map((r) => r.count)).toEqual([10, 10, 10, 10, 15, 15, 15, 22, 13]);
  });
});

describe('abort policies', () => {
  const state = (failed: number, extra = {}) => ({ total: 100, failed, waveSize: 10, waveFailed: 0, ...extra });

  it('IoT Central threshold: cancelled once failures exceed the limit, per batch or per job', () => {
    const job = cancellationThreshold({ type: 'percentage', value: 10, perBatch: false });
    expect(job.shouldAbort(state(10))).toBe(false);
    expect(job.shouldAbort(state(11))).toBe(true);
    const batch = cancellationThreshold({ type: 'number', value: 2, perBatch: true });
    expect(batch.shouldAbort(state(50, { waveFailed: 2 }))).toBe(false);
    expect(batch.shouldAbort(state(3, { waveFailed: 3 }))).toBe(true);
  });

  it('failure rates (AWS abort criteria): checked only after minExecuted, per failure kind or any', () => {
    const policy = failureRates([{ failure: 'any', percentage: 10, minExecuted: 10 }]);
    const byKind = (failed: number, rejected = 0, timedOut = 0) => ({ failed, rejected, timedOut });
    expect(policy.shouldAbort(state(5, { executed: 9, failedByKind: byKind(5) }))).toBe(false);
    expect(policy.shouldAbort(state(1, { executed: 10, failedByKind: byKind(0, 0, 1) }))).toBe(true);
    expect(policy.shouldAbort(state(1, { executed: 20, failedByKind: byKind(1) }))).toBe(false);
    const timeouts = failureRates([{ failure: 'timedOut', percentage: 50, minExecuted: 2 }]);
    expect(timeouts.shouldAbort(state(4, { executed: 4, failedByKind: byKind(4) }))).toBe(false);
    expect(timeouts.shouldAbort(state(2, { executed: 4, failedByKind: byKind(0, 0, 2) }))).toBe(true);
  });
});
