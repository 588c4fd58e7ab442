import type { JobDefinition, JobOperation, JobRecord, OperationType } from '../../domain/jobs/job-model.js';

/** IoT Central's JobData discriminator values, plus the spellings the jobs how-to uses. */
const OPERATION_TYPES: Record<string, OperationType> = {
  property: 'property',
  command: 'command',
  cloudProperty: 'cloudProperty',
  deviceTemplateMigration: 'deviceTemplateMigration',
  deviceManifestMigration: 'deviceManifestMigration',
  PropertyJobData: 'property',
  CommandJobData: 'command',
  CloudPropertyJobData: 'cloudProperty',
  DeviceTemplateMigrationJobData: 'deviceTemplateMigration',
  DeviceManifestMigrationJobData: 'deviceManifestMigration',
};

export interface CentralJobBody {
  displayName?: string;
  description?: string;
  group: string;
  batch?: JobDefinition['batch'];
  cancellationThreshold?: JobDefinition['cancellationThreshold'];
  data: ({ type: string } & Record<string, unknown>)[];
  organizations?: string[];
}

/** A request body (already validated against the spec) as the engine's definition; read-only fields are dropped. */
export function toDefinition(body: CentralJobBody, scheduledJobId?: string): JobDefinition {
  const data: JobOperation[] = body.data.map(({ type, target, path, value, template, manifest }) => ({
    type: (Object.hasOwn(OPERATION_TYPES, type) ? OPERATION_TYPES[type] : undefined) ?? 'property',
    typeAsSent: type,
    ...(typeof target === 'string' ? { target } : {}),
    ...(typeof path === 'string' ? { path } : {}),
    ...(value !== undefined ? { value } : {}),
    ...(typeof template === 'string' ? { template } : {}),
    ...(typeof manifest === 'string' ? { manifest } : {}),
  }));
  return {
    ...pick(body, ['displayName', 'description', 'batch', 'cancellationThreshold', 'organizations']),
    group: body.group,
    data,
    ...(scheduledJobId ? { scheduledJobId } : {}),
  };
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The IoT Central Job for a record: the definition as sent, plus status, start, end and progress. */
export function toCentralJob(job: JobRecord): Record<string, unknown> {
  const { definition } = job;
  const total = job.total;
  return {
    id: job.id,
    ...(definition.scheduledJobId ? { scheduledJobId: definition.scheduledJobId } : {}),
    ...pick(definition, ['displayName', 'description']),
    group: definition.group,
    ...pick(definition, ['batch', 'cancellationThreshold']),
    data: definition.data.map(({ typeAsSent, target, path, value, template, manifest }) => ({
      type: typeAsSent,
      ...(target !== undefined ? { target } : {}),
      ...(path !== undefined ? { path } : {}),
      ...(value !== undefined ? { value } : {}),
      ...(template !== undefined ? { template } : {}),
      ...(manifest !== undefined ? { manifest } : {}),
    })),
    ...(job.start !== undefined ? { start: iso(job.start) } : {}),
    ...(job.end !== undefined ? { end: iso(job.end) } : {}),
    ...(total !== undefined
      ? { progress: { total, pending: total - job.completed - job.failed, completed: job.completed, failed: job.failed } }
      : {}),
    status: job.status,
    ...pick(definition, ['organizations']),
  };
}

function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
