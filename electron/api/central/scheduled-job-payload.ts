import type { ScheduledJobInput, ScheduledJobRecord } from '../../domain/jobs/scheduler.js';
import type { Schedule } from '../../domain/jobs/recurrence.js';
import { toCentralJob, toDefinition, type CentralJobBody } from './job-payload.js';

export interface CentralScheduledJobBody extends CentralJobBody {
  schedule: Schedule;
  enabled?: boolean;
}

export function toScheduledJobInput(body: CentralScheduledJobBody): ScheduledJobInput {
  return {
    definition: toDefinition(body),
    schedule: body.schedule,
    ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
  };
}

/** The IoT Central ScheduledJob for a record. */
export function toCentralScheduledJob(record: ScheduledJobRecord): Record<string, unknown> {
  const { id: _id, status: _status, ...definition } = toCentralJob({
    id: record.id,
    seq: 0,
    definition: record.definition,
    status: 'pending',
    completed: 0,
    failed: 0,
  });
  return {
    id: record.id,
    ...definition,
    schedule: record.schedule,
    enabled: record.enabled,
    completed: record.completed,
    etag: record.etag,
  };
}
