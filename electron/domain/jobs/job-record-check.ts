import type { JobStatus } from './job-model.js';
import type { OperationKind } from './job-spec.js';

const STATUSES: readonly JobStatus[] = ['pending', 'running', 'stopped', 'complete', 'cancelled', 'failed'];
const OPERATION_KINDS: readonly OperationKind[] = ['property', 'command', 'cloudProperty', 'templateMigration', 'manifestMigration', 'document'];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const optional = (value: unknown, check: (present: unknown) => boolean) => value === undefined || check(value);

/**
 * What makes a job record from outside (a snapshot's data.jobs) one the engine cannot recover or the APIs cannot show,
 * or undefined when it has the parts they read: a status, counters, and a spec with targets, operations and a release.
 */
export function jobRecordProblem(record: Record<string, unknown>): string | undefined {
  if (!STATUSES.includes(record.status as JobStatus)) return `status must be one of ${STATUSES.join(', ')}`;
  for (const counter of ['seq', 'completed', 'failed'] as const) if (!isCount(record[counter])) return `${counter} must be a whole number of at least 0`;
  for (const counter of ['total', 'start', 'end', 'admittedAt'] as const) if (!optional(record[counter], isCount)) return `${counter} must be a whole number of at least 0`;
  if (!optional(record.explicitTargets, Array.isArray)) return 'explicitTargets must be a list';
  for (const map of ['deviceErrors', 'resolvedBeforeStart'] as const) if (!optional(record[map], isObject)) return `${map} must be an object`;
  const spec = record.spec;
  if (!isObject(spec)) return 'spec must be an object';
  const targets = spec.targets;
  if (!isObject(targets) || !(targets.kind === 'devices' || (targets.kind === 'group' && typeof targets.group === 'string'))) return 'spec.targets must be a group or devices';
  const operations = spec.operations;
  if (!Array.isArray(operations) || operations.length === 0) return 'spec.operations must be a non-empty list';
  if (!operations.every((operation) => isObject(operation) && OPERATION_KINDS.includes(operation.kind as OperationKind))) return `each of spec.operations must have a kind of ${OPERATION_KINDS.join(', ')}`;
  const release = spec.release;
  if (!isObject(release) || !((release.kind === 'batches' && optional(release.batch, isObject)) || (release.kind === 'rate' && isObject(release.rate)))) return 'spec.release must be batches or a rate';
  for (const part of ['abort', 'window'] as const) if (!optional(spec[part], isObject)) return `spec.${part} must be an object`;
  if (!optional(spec.retry, Array.isArray)) return 'spec.retry must be a list';
  return undefined;
}

