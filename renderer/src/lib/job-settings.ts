import type { CountOrPercentage, JobBody } from '../api/central-types';
import type { BatchCounts } from '../api/control-types';

const number = (count: number) => count.toLocaleString('en-US');
const amount = ({ type, value }: CountOrPercentage) => (type === 'percentage' ? `${value} %` : number(value));

/** The largest failure count a threshold allows among `size` devices, as the engine computes it. */
export function thresholdLimit({ type, value }: CountOrPercentage, size: number): number {
  return type === 'number' ? value : Math.floor((size * value) / 100);
}

export function describeBatches(batch: CountOrPercentage | undefined, plan: { batchSize: number; batchCount: number } | undefined): string {
  if (!batch) return 'No batches: every device at once.';
  const planned = plan ? ` (${number(plan.batchCount)} ${plan.batchCount === 1 ? 'batch' : 'batches'} of up to ${number(plan.batchSize)})` : '';
  return `${amount(batch)} of the devices per batch${planned}.`;
}

export function describeThreshold(threshold: JobBody['cancellationThreshold']): string {
  if (!threshold) return 'None: the job runs on whatever fails.';
  const scope = threshold.batch ? 'in any one batch' : 'across the job';
  return `Cancel when more than ${amount(threshold)} of the devices fail ${scope}.`;
}

/**
 * Why a cancelled IoT Central job was cancelled, with the numbers: the first batch (or the job) whose failures
 * passed the threshold. The counts are the final ones, so they include devices that finished after the cancellation.
 */
export function cancellationReason(threshold: JobBody['cancellationThreshold'], batches: readonly BatchCounts[], total: number, failed: number): string {
  if (threshold?.batch) {
    for (const [index, batch] of batches.entries()) {
      const size = batch.completed + batch.failed + batch.pending;
      const limit = thresholdLimit(threshold, size);
      if (batch.failed > limit) return `Cancelled by the threshold: ${number(batch.failed)} of ${number(size)} failed in batch ${index + 1} (limit ${number(limit)}).`;
    }
  } else if (threshold) {
    const limit = thresholdLimit(threshold, total);
    if (failed > limit) return `Cancelled by the threshold: ${number(failed)} of ${number(total)} failed in the job (limit ${number(limit)}).`;
  }
  return 'Cancelled before every device ran.';
}
