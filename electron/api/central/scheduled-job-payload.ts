import type { ScheduledJobInput, ScheduledJobRecord } from '../../domain/central/scheduled-jobs.js';
import type { Schedule } from '../../domain/central/recurrence.js';
import { toEcho, toSpec, type CentralJobBody } from './job-payload.js';

export interface CentralScheduledJobBody extends CentralJobBody {
  schedule: Schedule;
  enabled?: boolean;
}

export function toScheduledJobInput(body: CentralScheduledJobBody): ScheduledJobInput {
  const echo = toEcho(body);
  return {
    spec: toSpec(echo),
    echo,
    schedule: body.schedule,
    ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
  };
}

/** The IoT Central ScheduledJob for a record. */
export function toCentralScheduledJob(record: ScheduledJobRecord): Record<string, unknown> {
  return {
    id: record.id,
    ...record.echo,
    schedule: record.schedule,
    enabled: record.enabled,
    completed: record.completed,
    etag: record.etag,
  };
}
