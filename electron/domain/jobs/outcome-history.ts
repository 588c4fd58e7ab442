import type { JobDeviceState } from './job-progress.js';
import { batchPlan } from './job-progress.js';
import { DEVICE_COMPLETED, FAILED_BASE, type JobRecord } from './job-model.js';

export interface OutcomePoint {
  /** Simulated ms epoch. */
  at: number;
  /** Devices completed (failed) by then, cumulative. */
  completed: number;
  failed: number;
}

export interface OutcomeHistory {
  /**
   * `batches`: the engine keeps one status byte per device, not when each device answered, so the job's run time
   * (start to end, or to now while it runs) is spread over its batches in proportion to the devices each answered.
   */
  basis: 'batches';
  points: OutcomePoint[];
}

/** A chart is no sharper than this; a job of 1-device batches on 1M devices groups its batches. */
export const MAX_HISTORY_POINTS = 200;

/**
 * Completions and failures of a job over simulated time, rebuilt from its status bytes. Devices are released in
 * position order (batch after batch, or a rollout's releases one after another), so consecutive positions answered
 * at about the same time; within one batch nothing tells the order, which the chart draws as a straight line.
 */
export function outcomeHistory(job: JobRecord, { devices, status }: JobDeviceState, now: number): OutcomeHistory {
  if (job.start === undefined) return { basis: 'batches', points: [] };
  const start = job.start;
  const points: OutcomePoint[] = [{ at: start, completed: 0, failed: 0 }];
  if (!status) return { basis: 'batches', points };

  const total = devices.size;
  const released = job.definition.rollout ? Math.ceil(total / MAX_HISTORY_POINTS) : batchPlan(job.definition.batch, total).batchSize;
  const bucketSize = released * Math.ceil(Math.ceil(total / released) / MAX_HISTORY_POINTS);
  const buckets: { completed: number; failed: number }[] = [];
  for (let first = 0; first < total; first += bucketSize) {
    let completed = 0;
    let failed = 0;
    for (let p = first; p < Math.min(first + bucketSize, total); p++) {
      const byte = status[p]!;
      if (byte === DEVICE_COMPLETED) completed++;
      else if (byte >= FAILED_BASE) failed++;
    }
    buckets.push({ completed, failed });
  }

  const answered = buckets.reduce((sum, bucket) => sum + bucket.completed + bucket.failed, 0);
  const duration = Math.max((job.end ?? now) - start, 0);
  let completed = 0;
  let failed = 0;
  for (const bucket of buckets) {
    if (bucket.completed + bucket.failed === 0) continue;
    completed += bucket.completed;
    failed += bucket.failed;
    points.push({ at: start + Math.round(((completed + failed) / answered) * duration), completed, failed });
  }
  return { basis: 'batches', points };
}
