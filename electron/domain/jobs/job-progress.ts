import type { DeviceSet } from './device-set.js';
import { DEVICE_COMPLETED, DEVICE_PENDING, deviceStatusOf, failureReasonOf, isFailure, type CountOrPercentage, type DeviceJobStatus, type JobRecord } from './job-model.js';
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
  const { batchSize, batchCount } = batchPlan(job.definition.batch, total);
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

/**
 * A page of a job's devices, optionally filtered by status and id substring. Unfiltered pages cost O(page);
 * a status filter scans the status bytes once; a search builds every id once.
 */
export function findJobDevices({ devices, status, errors }: JobDeviceState, query: DeviceQuery): DevicePage {
  const total = devices.size;
  const entry = (position: number, id = devices.idAt(position)) => {
    const byte = status?.[position] ?? DEVICE_PENDING;
    const error = isFailure(byte) ? (errors?.[id] ?? failureReasonOf(byte)) : failureReasonOf(byte);
    return { id, status: deviceStatusOf(byte), ...(error ? { error } : {}) };
  };
  if (query.status === undefined && !query.search) {
    const end = Math.min(query.offset + query.limit, total);
    const page = [];
    for (let p = query.offset; p < end; p++) page.push(entry(p));
    return { total, matched: total, devices: page };
  }
  const statusPasses = query.status ? STATUS_TEST[query.status] : () => true;
  const page: DevicePage['devices'] = [];
  let matched = 0;
  const search = query.search;
  if (!search) {
    // Status only: a plain byte scan; ids are built for the page alone.
    for (let p = 0; p < total; p++) {
      if (!statusPasses(status ? status[p]! : DEVICE_PENDING)) continue;
      if (matched >= query.offset && page.length < query.limit) page.push(entry(p));
      matched++;
    }
    return { total, matched, devices: page };
  }
  forEachId(devices, (position, id) => {
    if (!id.includes(search) || !statusPasses(status ? status[position]! : DEVICE_PENDING)) return;
    if (matched >= query.offset && page.length < query.limit) page.push(entry(position, id));
    matched++;
  });
  return { total, matched, devices: page };
}

/** Visits every device id in order; ranges build `prefix-n` directly instead of a lookup per position. */
function forEachId(devices: DeviceSet, visit: (position: number, id: string) => void): void {
  let position = 0;
  for (const slice of devices.slices) {
    if ('ids' in slice) {
      for (const id of slice.ids) visit(position++, id);
    } else {
      const head = `${slice.prefix}-`;
      for (let n = slice.first; n < slice.first + slice.count; n++) visit(position++, head + n);
    }
  }
}
