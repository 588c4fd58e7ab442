import type { AbortSpec, CountOrPercentage, FailureKind, FailureRateRule } from './job-spec.js';
import { DEVICE_COMPLETED, failureKindOf } from './job-model.js';
import { sizeOf } from './release-policy.js';

export interface AbortState {
  total: number;
  failed: number;
  /** Devices with a terminal outcome, and the failures among them by kind (failure-rate rules). */
  executed?: number;
  failedByKind?: Record<FailureKind, number>;
  /** The current release (a batch): its size and failures. */
  waveSize: number;
  waveFailed: number;
}

/** Whether a job must be cancelled now. */
export interface AbortPolicy {
  shouldAbort(state: AbortState): boolean;
}

const neverAbort: AbortPolicy = { shouldAbort: () => false };

export function abortPolicyOf(spec: AbortSpec | undefined): AbortPolicy {
  if (!spec) return neverAbort;
  return spec.kind === 'threshold' ? cancellationThreshold(spec) : failureRates(spec.rules);
}

/** Cancelled as soon as failures exceed the limit: per batch against its size, or across the job against its total. */
export function cancellationThreshold(threshold: (CountOrPercentage & { perBatch?: boolean }) | undefined): AbortPolicy {
  if (!threshold) return neverAbort;
  return {
    shouldAbort({ total, failed, waveSize, waveFailed }) {
      const [count, size] = threshold.perBatch ? [waveFailed, waveSize] : [failed, total];
      const limit = threshold.type === 'number' ? threshold.value : Math.floor(sizeOf(threshold, size));
      return count > limit;
    },
  };
}

/** Once enough devices executed, abort when failures of a kind reach the percentage. */
export function failureRates(rules: readonly FailureRateRule[] | undefined): AbortPolicy {
  if (!rules || rules.length === 0) return neverAbort;
  return {
    shouldAbort({ executed = 0, failedByKind }) {
      if (!failedByKind || executed === 0) return false;
      return rules.some(({ failure, percentage, minExecuted }) => {
        if (executed < minExecuted) return false;
        const failures = failure === 'any' ? failedByKind.failed + failedByKind.rejected + failedByKind.timedOut : failedByKind[failure];
        return (failures * 100) / executed >= percentage;
      });
    },
  };
}

/** Devices with a terminal outcome so far, and the failures among them by kind. */
export class FailureTally {
  executed = 0;
  readonly byKind: Record<FailureKind, number> = { failed: 0, rejected: 0, timedOut: 0 };

  count(byte: number): void {
    const kind = failureKindOf(byte);
    if (kind) this.byKind[kind]++;
    if (byte === DEVICE_COMPLETED || kind) this.executed++;
  }
}
