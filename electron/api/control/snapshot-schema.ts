import { SNAPSHOT_FORMAT } from '../../domain/emulator-state.js';

/** The id rules of the API each collection's ids come through; a snapshot's ids must pass the same ones. */
const ID = {
  central: { type: 'string', pattern: '^[a-zA-Z0-9_-]+$', maxLength: 255 },
  // Thing names (AWS's rule) are device ids too.
  device: { type: 'string', pattern: '^[a-zA-Z0-9:_-]+$', maxLength: 128 },
  template: { type: 'string', pattern: '^[^\\u0000-\\u001f]+$', maxLength: 1024 },
  thingGroup: { type: 'string', pattern: '^[a-zA-Z0-9:_-]+$', maxLength: 128 },
  thingGroupMember: { type: 'string', pattern: '^[a-zA-Z0-9:_-]+/[a-zA-Z0-9:_-]+$', maxLength: 257 },
  thingType: { type: 'string', pattern: '^[a-zA-Z0-9:_-]+$', maxLength: 128 },
  jobTemplate: { type: 'string', pattern: '^[a-zA-Z0-9_-]+$', maxLength: 64 },
  bucket: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]+[a-z0-9]$', maxLength: 63 },
  certificate: { type: 'string', pattern: '^[0-9a-f]{64}$', maxLength: 64 },
} as const;

/** A job's devices: a range of a fleet's numbered devices, or a list of ids (the engine reads either). */
const DEVICE_SLICE = {
  anyOf: [
    { type: 'object', required: ['ids'], properties: { ids: { type: 'array', items: { type: 'string' } } } },
    { type: 'object', required: ['prefix', 'first', 'count'], properties: { prefix: { type: 'string' }, first: { type: 'integer', minimum: 0 }, count: { type: 'integer', minimum: 0 } } },
  ],
} as const;

const collection = (id: { pattern: string; maxLength: number }, required: readonly string[] = []) => ({
  type: 'object',
  propertyNames: { ...id, minLength: 1 },
  additionalProperties: { type: 'object', required },
});

/**
 * A snapshot as GET /_fleetlab/snapshot exports it (schema 3), or an older schema's shape (deleted fleet devices as a list):
 * each collection's ids through its API's id rule, each record an object with its key fields.
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
      properties: {
        schemaVersion: { type: 'integer' },
        simulation: { type: 'object', required: ['seed', 'timeScale', 'defaults'] },
        fleets: {
          type: 'array',
          items: {
            type: 'object',
            required: ['prefix', 'first', 'count', 'template', 'simulated'],
            properties: { prefix: ID.device, first: { type: 'integer', minimum: 1 }, count: { type: 'integer', minimum: 1 }, template: { type: 'string' } },
          },
        },
        apiTokens: collection(ID.central, ['id', 'hash', 'roles']),
        deviceTemplates: collection(ID.template, ['id', 'etag', 'capabilityModel']),
        devices: collection(ID.device, ['id', 'etag', 'displayName', 'enabled', 'simulated']),
        deletedFleetDevices: {
          anyOf: [{ type: 'array', items: ID.device }, collection(ID.device, ['id'])],
        },
        deviceGroups: collection(ID.central, ['id', 'etag', 'filter']),
        organizations: collection(ID.central, ['id', 'displayName']),
        deviceTwins: collection(ID.device, ['properties', 'commands']),
        deviceAttestations: collection(ID.device, ['type']),
        deviceRelationships: collection(ID.device),
        // Schema 3 snapshots hold a job's `definition`; the migration to schema 4 makes it a `spec` and a `centralJobs` echo.
        jobs: collection(ID.central, ['id', 'seq', 'status']),
        centralJobs: collection(ID.central, ['id', 'echo']),
        scheduledJobs: collection(ID.central, ['id', 'etag', 'schedule']),
        things: collection(ID.device, ['attributes', 'version']),
        // Schema 2 snapshots still list each group's `things`; the migration to schema 3 makes them thingGroupMembers.
        thingGroups: collection(ID.thingGroup, ['name', 'id']),
        thingGroupMembers: collection(ID.thingGroupMember, ['group', 'thing']),
        thingTypes: collection(ID.thingType, ['name', 'id', 'deprecated']),
        billingGroups: collection(ID.thingGroup, ['name', 'id']),
        jobTemplates: collection(ID.jobTemplate, ['id', 'settings']),
        awsJobs: collection(ID.central, ['jobId', 'targets', 'document', 'settings']),
        // Only which buckets exist: their objects stay files in the data dir (docs/decisions.md).
        s3Buckets: collection(ID.bucket, ['name', 'createdAt']),
        certificates: collection(ID.certificate, ['id', 'pem', 'status', 'things']),
      },
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
} as const;
