import type { JobDeviceState } from './job-progress.js';
import { batchPlan } from './job-progress.js';
import { DEVICE_COMPLETED, isFailure, type JobRecord } from './job-model.js';
import { batchOf } from './job-spec.js';
import { tickBase, TICK_MS } from './device-times.js';

export interface OutcomePoint {
  /** Simulated ms epoch. */
  at: number;
  /** Devices completed (failed) by then, cumulative. */
  completed: number;
  failed: number;
}

export interface OutcomeHistory {
  /**
   * `recorded`: from the time each device answered. `batches`: for jobs without recorded times (written by an older
   * Fleetlab), the job's run time is spread over its batches in proportion to the devices each answered.
   */
  basis: 'recorded' | 'batches';
  points: OutcomePoint[];
}

/** A chart is no sharper than this; a job of 1-device batches on 1M devices groups its batches. */
export const MAX_HISTORY_POINTS = 200;

/**
 * Completions and failures of a job over simulated time, rebuilt from its status bytes. Devices are released in
 * position order (batch after batch, or a rollout's releases one after another), so consecutive positions answered
 * at about the same time; within one batch nothing tells the order, which the chart draws as a straight line.
 */
export function outcomeHistory(job: JobRecord, state: JobDeviceState, now: number, times?: Uint32Array | null): OutcomeHistory {
  if (job.start !== undefined && state.status && times && times.length === state.status.length * 2) {
    return recordedHistory(job.start, job.end ?? now, state.status, times);
  }
  return batchHistory(job, state, now);
}

/** Cumulative outcomes in up to MAX_HISTORY_POINTS equal steps of simulated time, from each device's answer time. */
function recordedHistory(start: number, end: number, status: Uint8Array, times: Uint32Array): OutcomeHistory {
  const base = tickBase(start);
  const span = Math.max(end - start, 1);
  const steps = Math.min(MAX_HISTORY_POINTS, Math.max(1, Math.ceil(span / TICK_MS)));
  const completed = new Float64Array(steps);
  const failed = new Float64Array(steps);
  for (let p = 0; p < status.length; p++) {
    const byte = status[p]!;
    const tick = times[2 * p + 1]!;
    if (tick === 0 || (byte !== DEVICE_COMPLETED && !isFailure(byte))) continue;
    const at = base + (tick - 1) * TICK_MS;
    const step = Math.min(steps - 1, Math.max(0, Math.floor(((at - start) / span) * steps)));
    if (byte === DEVICE_COMPLETED) completed[step]!++;
    else failed[step]!++;
  }
  const points: OutcomePoint[] = [{ at: start, completed: 0, failed: 0 }];
  let c = 0;
  let f = 0;
  for (let step = 0; step < steps; step++) {
    c += completed[step]!;
    f += failed[step]!;
    points.push({ at: start + Math.round(((step + 1) / steps) * span), completed: c, failed: f });
  }
  return { basis: 'recorded', points };
}

function batchHistory(job: JobRecord, { devices, status }: JobDeviceState, now: number): OutcomeHistory {
  if (job.start === undefined) return { basis: 'batches', points: [] };
  const start = job.start;
  const points: OutcomePoint[] = [{ at: start, completed: 0, failed: 0 }];
  if (!status) return { basis: 'batches', points };

  const total = devices.size;
  const released = job.spec.release.kind === 'rate' ? Math.ceil(total / MAX_HISTORY_POINTS) : batchPlan(batchOf(job.spec), total).batchSize;
  const bucketSize = released * Math.ceil(Math.ceil(total / released) / MAX_HISTORY_POINTS);
  const buckets: { completed: number; failed: number }[] = [];
  for (let first = 0; first < total; first += bucketSize) {
    let completed = 0;
    let failed = 0;
    for (let p = first; p < Math.min(first + bucketSize, total); p++) {
      const byte = status[p]!;
      if (byte === DEVICE_COMPLETED) completed++;
      else if (isFailure(byte)) failed++;
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
