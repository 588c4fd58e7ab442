import type { CentralJob, CentralJobEcho } from '../../domain/central/central-jobs.js';
import { invalid } from '../../domain/errors.js';
import type { JobRecord } from '../../domain/jobs/job-model.js';
import type { AbortSpec, JobOperation, JobSpec, OperationKind } from '../../domain/jobs/job-spec.js';

/** IoT Central's JobData discriminator values, plus the spellings the jobs how-to uses. */
const OPERATION_KINDS: Record<string, OperationKind> = {
  property: 'property',
  command: 'command',
  cloudProperty: 'cloudProperty',
  deviceTemplateMigration: 'templateMigration',
  deviceManifestMigration: 'manifestMigration',
  PropertyJobData: 'property',
  CommandJobData: 'command',
  CloudPropertyJobData: 'cloudProperty',
  DeviceTemplateMigrationJobData: 'templateMigration',
  DeviceManifestMigrationJobData: 'manifestMigration',
};

export interface CentralJobBody {
  displayName?: string;
  description?: string;
  group: string;
  batch?: CentralJobEcho['batch'];
  cancellationThreshold?: CentralJobEcho['cancellationThreshold'];
  data: ({ type: string } & Record<string, unknown>)[];
  organizations?: string[];
}

/** A request body (already validated against the spec) as the client's echo; read-only fields are dropped. */
export function toEcho(body: CentralJobBody): CentralJobEcho {
  return {
    ...pick(body, ['displayName', 'description']),
    group: body.group,
    ...pick(body, ['batch', 'cancellationThreshold']),
    data: body.data.map(({ type, target, path, value, template, manifest }) => ({
      type,
      ...(typeof target === 'string' ? { target } : {}),
      ...(typeof path === 'string' ? { path } : {}),
      ...(value !== undefined ? { value } : {}),
      ...(typeof template === 'string' ? { template } : {}),
      ...(typeof manifest === 'string' ? { manifest } : {}),
    })),
    ...pick(body, ['organizations']),
  };
}

/** The engine's spec of an IoT Central job: the group's members, in batches, cancelled past its threshold. */
export function toSpec(echo: CentralJobEcho): JobSpec {
  const operations: JobOperation[] = echo.data.map(({ type, ...operation }) => {
    const kind = (Object.hasOwn(OPERATION_KINDS, type) ? OPERATION_KINDS[type] : undefined) ?? 'property';
    if ((kind === 'property' || kind === 'command' || kind === 'cloudProperty') && (operation.target === undefined || operation.path === undefined)) {
      throw invalid(`A ${type} operation needs "target" and "path".`);
    }
    return { kind, ...structuredClone(operation) };
  });
  const threshold = echo.cancellationThreshold;
  const abort: AbortSpec | undefined = threshold && {
    kind: 'threshold',
    type: threshold.type,
    value: threshold.value,
    ...(threshold.batch !== undefined && { perBatch: threshold.batch }),
  };
  return {
    ...pick(echo, ['displayName', 'description']),
    targets: { kind: 'group', group: echo.group },
    operations,
    release: { kind: 'batches', ...(echo.batch && { batch: echo.batch }) },
    ...(abort && { abort }),
  };
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The IoT Central Job: what its client sent, plus status, start, end and progress from the engine's job. */
export function toCentralJob({ record, job }: CentralJob): Record<string, unknown> {
  const { echo } = record;
  return {
    id: record.id,
    ...(record.scheduledJobId ? { scheduledJobId: record.scheduledJobId } : {}),
    ...pick(echo, ['displayName', 'description']),
    group: echo.group,
    ...pick(echo, ['batch', 'cancellationThreshold']),
    data: echo.data,
    ...runState(job),
    ...pick(echo, ['organizations']),
  };
}

function runState(job: JobRecord): Record<string, unknown> {
  const total = job.total;
  return {
    ...(job.start !== undefined ? { start: iso(job.start) } : {}),
    ...(job.end !== undefined ? { end: iso(job.end) } : {}),
    ...(total !== undefined ? { progress: { total, pending: total - job.completed - job.failed, completed: job.completed, failed: job.failed } } : {}),
    status: job.status,
  };
}

function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
