import { SNAPSHOT_FORMAT } from '../../domain/emulator-state.js';
import { AWS_DATA } from './snapshot/aws-records.js';
import { CENTRAL_DATA, LEGACY_SCHEDULED_JOBS, SCHEDULED_JOBS } from './snapshot/central-records.js';
import { DEVICE_DATA } from './snapshot/device-records.js';
import { ID } from './snapshot/record-shapes.js';

/** A job's devices: a range of a fleet's numbered devices, or a list of ids (the engine reads either). */
const DEVICE_SLICE = {
  anyOf: [
    { type: 'object', required: ['ids'], properties: { ids: { type: 'array', items: { type: 'string' } } } },
    { type: 'object', required: ['prefix', 'first', 'count'], properties: { prefix: { type: 'string' }, first: { type: 'integer', minimum: 0 }, count: { type: 'integer', minimum: 0 } } },
  ],
} as const;

const LAST_LEGACY_JOB_SCHEMA = 3;

/**
 * A snapshot as GET /_fleetlab/snapshot exports it (schema 4), or an older schema's shape: each collection's ids
 * through its API's id rule, each record with the type of every member its readers use (snapshot/*.ts), so an
 * import never stores a record a later read cannot show.
 */
export const SNAPSHOT_SCHEMA = {
  type: 'object',
  required: ['format', 'schemaVersion', 'data', 'jobFiles'],
  properties: {
    format: { const: SNAPSHOT_FORMAT },
    schemaVersion: { type: 'integer', minimum: 1 },
    exportedAt: { type: 'string' },
    data: {
      type: 'object',
      required: ['simulation', 'deviceTemplates', 'devices', 'fleets', 'deviceGroups', 'jobs'],
      properties: { schemaVersion: { type: 'integer' }, ...DEVICE_DATA, ...CENTRAL_DATA, ...AWS_DATA },
    },
    jobFiles: {
      type: 'object',
      propertyNames: { ...ID.central, minLength: 1 },
      additionalProperties: {
        type: 'object',
        required: ['targets', 'status'],
        properties: { targets: { type: 'array', items: DEVICE_SLICE }, status: { type: 'string', contentEncoding: 'base64' }, times: { type: 'string', contentEncoding: 'base64' } },
      },
    },
  },
  // Scheduled jobs changed shape with schema 4 (migrations/job-specs.ts).
  if: { required: ['schemaVersion'], properties: { schemaVersion: { type: 'integer', maximum: LAST_LEGACY_JOB_SCHEMA } } },
  then: { properties: { data: { properties: { scheduledJobs: LEGACY_SCHEDULED_JOBS } } } },
  else: { properties: { data: { properties: { scheduledJobs: SCHEDULED_JOBS } } } },
} as const;
