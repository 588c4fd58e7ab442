import type { CountOrPercentage } from './job-model.js';
import { sizeOf } from './release-policy.js';

export interface AbortState {
  total: number;
  failed: number;
  /** The current release (an IoT Central batch): its size and failures. */
  waveSize: number;
  waveFailed: number;
}

/** Whether a job must be cancelled now. IoT Central thresholds today; AWS abort criteria plug in here too. */
export interface AbortPolicy {
  shouldAbort(state: AbortState): boolean;
}

export const neverAbort: AbortPolicy = { shouldAbort: () => false };

/** Cancelled as soon as failures exceed the limit: per batch against its size, or across the job against its total. */
export function cancellationThreshold(threshold: (CountOrPercentage & { batch?: boolean }) | undefined): AbortPolicy {
  if (!threshold) return neverAbort;
  return {
    shouldAbort({ total, failed, waveSize, waveFailed }) {
      const [count, size] = threshold.batch ? [waveFailed, waveSize] : [failed, total];
      const limit = threshold.type === 'number' ? threshold.value : Math.floor(sizeOf(threshold, size));
      return count > limit;
    },
  };
}
