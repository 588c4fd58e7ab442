import type { Job } from '../api/central-types';
import type { JobDevicePage, JobDeviceQuery } from '../api/control-types';
import { CsvFile } from './csv';

/** Devices per request: a 1M-device job in 100 requests. */
const PAGE_SIZE = 10_000;

const RESULTS_HEADER = ['Device ID', 'Batch', 'Status', 'Error'] as const;
const SUMMARY_HEADER = ['Job ID', 'Name', 'Description', 'Status', 'Device group', 'Job type', 'Target', 'Value', 'Start', 'End', 'Total', 'Completed', 'Failed', 'Pending'] as const;

/**
 * One row per device with its batch, status (IoT Central's: a cancelled job's devices that never ran stay `pending`)
 * and error, read a page at a time so that a 1M-device job never sits in one response.
 */
export async function resultsCsv(
  job: Job,
  batchSize: number,
  readDevices: (query: JobDeviceQuery) => Promise<JobDevicePage>,
  onProgress: (done: number, total: number) => void,
): Promise<Blob> {
  const file = new CsvFile(RESULTS_HEADER);
  for (let offset = 0; ; ) {
    const page = await readDevices({ offset, limit: PAGE_SIZE });
    file.add(page.devices.map((device, k) => [device.id, Math.floor((offset + k) / Math.max(batchSize, 1)) + 1, device.status, device.error]));
    offset += page.devices.length;
    onProgress(offset, page.total);
    if (page.devices.length === 0 || offset >= page.total) break;
  }
  return file.blob();
}

/** The job's details and counts: a one-row table of its own. */
export function summaryCsv(job: Job): Blob {
  const operation = job.data[0];
  const file = new CsvFile(SUMMARY_HEADER);
  file.add([
    [
      job.id,
      job.displayName,
      job.description,
      job.status,
      job.group,
      operation?.type,
      operation?.path ?? operation?.template,
      operation?.value === undefined ? undefined : JSON.stringify(operation.value),
      job.start,
      job.end,
      job.progress?.total,
      job.progress?.completed,
      job.progress?.failed,
      job.progress?.pending,
    ],
  ]);
  return file.blob();
}
