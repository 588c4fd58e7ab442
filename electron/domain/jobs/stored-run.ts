import { CorruptJobFileError, type JobDeviceFiles, type JobFileName } from '../../store/job-files.js';
import type { DeviceSlice } from '../fleet-executor.js';
import { DeviceSet, joinIdSlices } from './device-set.js';
import type { JobRecord } from './job-model.js';

export interface StoredRun {
  set: DeviceSet;
  status: Uint8Array;
  times: Uint32Array;
}

/** A started job's files, each checked: present, intact, and sized for the job's targets. */
export async function readStoredRun(files: JobDeviceFiles<DeviceSlice[]>, job: JobRecord): Promise<StoredRun> {
  const targets = await files.readTargets(job.id);
  if (!targets) throw new CorruptJobFileError(job.id, 'targets.json', 'is missing');
  const set = new DeviceSet(joinIdSlices(targets));
  const status = await files.readStatus(job.id);
  if (!status) throw new CorruptJobFileError(job.id, 'status.bin', 'is missing');
  const times = await files.readTimes(job.id);
  if (!times) throw new CorruptJobFileError(job.id, 'times.bin', 'is missing');
  return { set, status: fitToTargets(job, 'status.bin', status, set.size, 1), times: fitToTargets(job, 'times.bin', times, set.size, 2) };
}

/**
 * The file's values for the job's devices. A job growing with its targets may have files and targets that disagree on
 * the count after a crash while it grew: devices only one of them has were just added, so they are pending.
 */
function fitToTargets<T extends Uint8Array | Uint32Array>(job: JobRecord, file: JobFileName, values: T, devices: number, perDevice: number): T {
  const held = values.length / perDevice;
  if (held === devices) return values;
  if (!job.spec.growsWithTargets || (held > devices && values.subarray(devices * perDevice).some((v) => v !== 0))) {
    throw new CorruptJobFileError(job.id, file, `holds ${held} devices where the job's targets have ${devices}`);
  }
  const fitted = new (values.constructor as new (n: number) => T)(devices * perDevice);
  fitted.set(values.subarray(0, Math.min(values.length, fitted.length)));
  return fitted;
}
