import { jobsApi, type Job } from './jobs-api';

const PAGE_SIZE = 1000;

/** RFC 4180: quote a field when it holds a comma, a quote or a line break. */
function field(value: string | number | undefined): string {
  const text = value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const row = (values: (string | number | undefined)[]) => `${values.map(field).join(',')}\r\n`;

/**
 * The job's results as CSV: a header table with the job's details, a blank line, then one row per device with its
 * status and error. Pages through the job's devices so that a 1M-device job never sits in one response.
 */
export async function resultsCsv(job: Job, onProgress: (done: number, total: number) => void, signal?: AbortSignal): Promise<Blob> {
  const operation = job.data[0];
  const parts: string[] = [
    row(['Job ID', 'Name', 'Description', 'Status', 'Device group', 'Job type', 'Target', 'Value', 'Start', 'End', 'Total', 'Completed', 'Failed', 'Pending']),
    row([
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
    ]),
    '\r\n',
    row(['Device ID', 'Status', 'Error']),
  ];
  let offset = 0;
  for (;;) {
    const page = await jobsApi.devices(job.id, { offset, limit: PAGE_SIZE }, signal);
    parts.push(page.devices.map((device) => row([device.id, device.status, device.error])).join(''));
    offset += page.devices.length;
    onProgress(offset, page.total);
    if (page.devices.length === 0 || offset >= page.total) break;
  }
  return new Blob(parts, { type: 'text/csv;charset=utf-8' });
}
