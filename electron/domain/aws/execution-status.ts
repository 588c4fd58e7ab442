import { DEVICE_CANCELED, DEVICE_COMPLETED, DEVICE_REMOVED, failureKindOf, isFinished, type JobRecord } from '../jobs/job-model.js';
import { scanExecutions } from '../jobs/executions-view.js';
import type { JobDeviceState } from '../jobs/job-progress.js';
import type { ExecutionStatus } from './aws-job-model.js';
import { AWS_FAILURE_STATUS } from './aws-job-spec.js';

/** What decides every execution's status: the job's status bytes, how far its run got, and whether the job ended. */
export interface ExecutionContext extends JobDeviceState {
  /** Positions [0, released) were started; a pending device among them is in progress. */
  released: number;
  ended: boolean;
  /** Released positions of external things whose agent has not started them yet: still QUEUED. */
  awaitingStart: ReadonlySet<number>;
}

export function executionContext(job: JobRecord, state: JobDeviceState, released: number, awaitingStart: ReadonlySet<number>): ExecutionContext {
  return { ...state, released, ended: isFinished(job.status), awaitingStart };
}

/** A device's execution status from its status byte: answered, set by the service, in flight, waiting, or never started. */
export function executionStatusAt(context: ExecutionContext, position: number): ExecutionStatus {
  const byte = context.status?.[position] ?? 0;
  if (byte === DEVICE_COMPLETED) return 'SUCCEEDED';
  if (byte === DEVICE_CANCELED) return 'CANCELED';
  if (byte === DEVICE_REMOVED) return 'REMOVED';
  const failure = failureKindOf(byte);
  if (failure) return AWS_FAILURE_STATUS[failure];
  if (position < context.released) return context.awaitingStart.has(position) ? 'QUEUED' : 'IN_PROGRESS';
  return context.ended ? 'CANCELED' : 'QUEUED';
}

export type ExecutionCounts = Record<ExecutionStatus, number>;

/** Executions per status, from one scan of the status bytes. */
export function countExecutions(context: ExecutionContext): ExecutionCounts {
  const counts: ExecutionCounts = { QUEUED: 0, IN_PROGRESS: 0, SUCCEEDED: 0, FAILED: 0, TIMED_OUT: 0, REJECTED: 0, REMOVED: 0, CANCELED: 0 };
  for (let position = 0; position < context.devices.size; position++) counts[executionStatusAt(context, position)]++;
  return counts;
}

export interface ExecutionEntry {
  thingName: string;
  status: ExecutionStatus;
}

export interface ExecutionQuery {
  offset: number;
  limit: number;
  status?: ExecutionStatus;
  /** Part of a thing name, case-insensitive. */
  search?: string;
  /** Count every match (`matched`), or stop at the first one after the page (`more` only). */
  countAll?: boolean;
}

/** A page of a job's executions in target order, filtered by status and thing name. */
export function findExecutions(context: ExecutionContext, query: ExecutionQuery): { entries: ExecutionEntry[]; matched: number; more: boolean } {
  const { status } = query;
  const needle = query.search?.toLowerCase();
  const { entries, matched, more } = scanExecutions(context.devices, {
    offset: query.offset,
    limit: query.limit,
    ...(status !== undefined && { passes: (position: number) => executionStatusAt(context, position) === status }),
    ...(needle && { idMatches: (id: string) => id.toLowerCase().includes(needle) }),
    countAll: query.countAll ?? false,
  });
  return { entries: entries.map(({ position, id }) => ({ thingName: id, status: status ?? executionStatusAt(context, position) })), matched, more };
}
