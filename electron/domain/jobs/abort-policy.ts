import type { CountOrPercentage } from './job-model.js';
import { sizeOf } from './release-policy.js';

export type FailureType = 'FAILED' | 'REJECTED' | 'TIMED_OUT';

export interface AbortState {
  total: number;
  failed: number;
  /** Devices with a terminal outcome, and the failures among them by type (AWS abort criteria). */
  executed?: number;
  failedByType?: Record<FailureType, number>;
  /** The current release (an IoT Central batch): its size and failures. */
  waveSize: number;
  waveFailed: number;
}

/** Whether a job must be cancelled now. IoT Central thresholds today; AWS abort criteria plug in here too. */
export interface AbortPolicy {
  shouldAbort(state: AbortState): boolean;
}

const neverAbort: AbortPolicy = { shouldAbort: () => false };

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

export interface AbortCriterion {
  failureType: FailureType | 'ALL';
  thresholdPercentage: number;
  minNumberOfExecutedThings: number;
}

/** AWS IoT abort criteria: once enough things executed, abort when failures of a type reach the percentage. */
export function abortCriteria(criteria: readonly AbortCriterion[] | undefined): AbortPolicy {
  if (!criteria || criteria.length === 0) return neverAbort;
  return {
    shouldAbort({ executed = 0, failedByType }) {
      if (!failedByType || executed === 0) return false;
      return criteria.some(({ failureType, thresholdPercentage, minNumberOfExecutedThings }) => {
        if (executed < minNumberOfExecutedThings) return false;
        const failures = failureType === 'ALL' ? failedByType.FAILED + failedByType.REJECTED + failedByType.TIMED_OUT : failedByType[failureType];
        return (failures * 100) / executed >= thresholdPercentage;
      });
    },
  };
}
