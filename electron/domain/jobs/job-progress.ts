import type { DeviceSet } from './device-set.js';
import { DEVICE_COMPLETED, DEVICE_PENDING, deviceStatusOf, failureReasonOf, isFailure, type DeviceJobStatus, type JobRecord } from './job-model.js';
import { batchOf, type CountOrPercentage } from './job-spec.js';
import { scanExecutions } from './executions-view.js';
import { batchSizeOf } from './release-policy.js';

/** A job's devices and their status bytes; `status` is null before the job starts (every device pending). */
export interface JobDeviceState {
  devices: DeviceSet;
  status: Uint8Array | null;
  /** What real devices said when they failed, by id (JobRecord.deviceErrors). */
  errors?: Record<string, string>;
}

export interface BatchCounts {
  completed: number;
  failed: number;
  pending: number;
}

export interface BatchProgress {
  batchSize: number;
  batchCount: number;
  /** The first `MAX_REPORTED_BATCHES` batches, in order. */
  batches: BatchCounts[];
}

/** A job of 1-device batches on 1M devices has 1M batches; a progress view shows the first ones and the count. */
const MAX_REPORTED_BATCHES = 500;

/** The batch size and count a job on `total` devices has; a batch never exceeds the job. */
export function batchPlan(batch: CountOrPercentage | undefined, total: number): { batchSize: number; batchCount: number } {
  const batchSize = Math.min(batchSizeOf(batch, total), Math.max(total, 1));
  return { batchSize, batchCount: total === 0 ? 0 : Math.ceil(total / batchSize) };
}

/** Per-batch counts from the status bytes: batch k holds positions [k * size, (k + 1) * size). */
export function batchProgress(job: JobRecord, { devices, status }: JobDeviceState): BatchProgress {
  const total = devices.size;
  const { batchSize, batchCount } = batchPlan(batchOf(job.spec), total);
  const batches: BatchCounts[] = [];
  for (let k = 0; k < Math.min(batchCount, MAX_REPORTED_BATCHES); k++) {
    const start = k * batchSize;
    const end = Math.min(start + batchSize, total);
    let completed = 0;
    let failed = 0;
    if (status) {
      for (let p = start; p < end; p++) {
        const byte = status[p]!;
        if (byte === DEVICE_COMPLETED) completed++;
        else if (isFailure(byte)) failed++;
      }
    }
    batches.push({ completed, failed, pending: end - start - completed - failed });
  }
  return { batchSize, batchCount, batches };
}

export interface DeviceQuery {
  offset: number;
  limit: number;
  status?: DeviceJobStatus;
  /** A substring of the device id, case-sensitive like IoT Central ids. */
  search?: string;
}

export interface DevicePage {
  total: number;
  /** Devices that pass the filter; `total` when there is none. */
  matched: number;
  devices: { id: string; status: DeviceJobStatus; error?: string }[];
}

const STATUS_TEST: Record<DeviceJobStatus, (byte: number) => boolean> = {
  pending: (byte) => byte === DEVICE_PENDING,
  completed: (byte) => byte === DEVICE_COMPLETED,
  failed: isFailure,
};

/** A page of a job's devices, optionally filtered by status and id substring (see scanExecutions for the cost). */
export function findJobDevices({ devices, status, errors }: JobDeviceState, query: DeviceQuery): DevicePage {
  const byteAt = (position: number) => status?.[position] ?? DEVICE_PENDING;
  const statusPasses = query.status ? STATUS_TEST[query.status] : undefined;
  const search = query.search;
  const { matched, entries } = scanExecutions(devices, {
    offset: query.offset,
    limit: query.limit,
    ...(statusPasses && { passes: (position: number) => statusPasses(byteAt(position)) }),
    ...(search && { idMatches: (id: string) => id.includes(search) }),
    countAll: true,
  });
  const page = entries.map(({ position, id }) => {
    const byte = byteAt(position);
    // A real device may say why it failed (a property ack's description); the others show their byte's reason.
    const error = isFailure(byte) ? (errors?.[id] ?? failureReasonOf(byte)) : failureReasonOf(byte);
    return { id, status: deviceStatusOf(byte), ...(error ? { error } : {}) };
  });
  return { total: devices.size, matched, devices: page };
}
