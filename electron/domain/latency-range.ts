import type { BehaviorRecord } from '../store/records.js';
import { invalid } from './errors.js';

/** A log-normal distribution's 99th percentile is at most exp(z99² / 2) ≈ 14.97 times its mean. */
const MAX_P99_OVER_MEAN = 14.9;

/** Checks a behaviour profile's latency: min ≤ max, and a mean / p99 pair that some log-normal distribution has. */
export function checkLatency(latency: BehaviorRecord['latencyMs'], label = 'latencyMs'): void {
  const { min, max, mean, p99 } = latency;
  if (min > max) throw invalid(`${label}.min (${min}) must not exceed ${label}.max (${max}).`);
  if (mean === undefined && p99 === undefined) return;
  if (mean === undefined || p99 === undefined) throw invalid(`${label}.mean and ${label}.p99 go together.`);
  if (p99 <= mean) throw invalid(`${label}.p99 (${p99}) must exceed ${label}.mean (${mean}).`);
  if (p99 / mean > MAX_P99_OVER_MEAN) {
    throw invalid(`${label}.p99 may be at most ${MAX_P99_OVER_MEAN} times ${label}.mean: no log-normal latency has a longer tail.`);
  }
}
