import type { ExecutionStatus } from './aws-job-model.js';
import { executionStatusAt, type ExecutionContext, type ExecutionEntry } from './job-executions.js';

export interface ExecutionQuery {
  offset: number;
  limit: number;
  status?: ExecutionStatus;
  /** Part of a thing name, case-insensitive. */
  search?: string;
}

/** A page of a job's executions in target order, filtered by status and thing name, with how many match in all. */
export function searchExecutions(context: ExecutionContext, query: ExecutionQuery): { matched: number; entries: ExecutionEntry[] } {
  const { offset, limit, status } = query;
  const needle = query.search?.toLowerCase();
  const total = context.devices.size;
  const entries: ExecutionEntry[] = [];
  if (status === undefined && !needle) {
    for (let position = offset; position < Math.min(total, offset + limit); position++) {
      entries.push({ thingName: context.devices.idAt(position), status: executionStatusAt(context, position) });
    }
    return { matched: total, entries };
  }
  let matched = 0;
  for (let position = 0; position < total; position++) {
    const at = executionStatusAt(context, position);
    if (status !== undefined && at !== status) continue;
    const thingName = context.devices.idAt(position);
    if (needle && !thingName.toLowerCase().includes(needle)) continue;
    if (matched >= offset && matched < offset + limit) entries.push({ thingName, status: at });
    matched++;
  }
  return { matched, entries };
}
