import { ANY_OBJECT, collection, DATE, DATE_TIME, FLAG, ID, record, TEXT, TEXTS } from './record-shapes.js';

const COUNT_OR_PERCENTAGE = { type: { enum: ['number', 'percentage'] }, value: { type: 'number' } };

/** An operation as sent (its `type` in either spelling), with the members IoT Central's JobData of that type requires. */
const OPERATION_ECHO = {
  ...record({ type: TEXT, target: TEXT, path: TEXT, template: TEXT, manifest: TEXT }, ['type']),
  allOf: [
    { if: record({ type: { pattern: '^(property|command|cloudProperty|PropertyJobData|CommandJobData|CloudPropertyJobData)$' } }, ['type']), then: { required: ['target', 'path'] } },
    { if: record({ type: { pattern: '^(deviceTemplateMigration|DeviceTemplateMigrationJobData)$' } }, ['type']), then: { required: ['template'] } },
    { if: record({ type: { pattern: '^(deviceManifestMigration|DeviceManifestMigrationJobData)$' } }, ['type']), then: { required: ['manifest'] } },
  ],
};

/** What an IoT Central client sent for a job, as every read echoes it; members no reader knows are kept as sent. */
const ECHO = record(
  {
    displayName: TEXT,
    description: TEXT,
    group: TEXT,
    batch: record(COUNT_OR_PERCENTAGE, ['type', 'value']),
    cancellationThreshold: record({ ...COUNT_OR_PERCENTAGE, batch: FLAG }, ['type', 'value']),
    data: { type: 'array', items: OPERATION_ECHO },
    organizations: TEXTS,
  },
  ['group', 'data'],
);

/** The parts of a job spec the engine reads first (as job-record-check.ts checks them for a job). */
const SPEC = record(
  {
    displayName: TEXT,
    description: TEXT,
    targets: { ...record({ kind: { enum: ['group', 'devices'] }, group: TEXT }, ['kind']), if: record({ kind: { const: 'group' } }, ['kind']), then: { required: ['group'] } },
    operations: {
      type: 'array',
      minItems: 1,
      items: record({ kind: { enum: ['property', 'command', 'cloudProperty', 'templateMigration', 'manifestMigration', 'document'] } }, ['kind']),
    },
    release: { ...record({ kind: { enum: ['batches', 'rate'] }, batch: ANY_OBJECT, rate: ANY_OBJECT }, ['kind']), if: record({ kind: { const: 'rate' } }, ['kind']), then: { required: ['rate'] } },
    abort: ANY_OBJECT,
    retry: { type: 'array', items: ANY_OBJECT },
    inProgressTimeoutMinutes: { type: 'number' },
    window: ANY_OBJECT,
    growsWithTargets: FLAG,
  },
  ['targets', 'operations', 'release'],
);

const SCHEDULE = record(
  {
    start: DATE_TIME,
    recurrence: { enum: ['daily', 'weekly', 'monthly'] },
    end: {
      ...record({ type: { enum: ['date', 'occurrences'] }, date: DATE, occurrences: { type: 'integer', minimum: 1, maximum: 999 } }, ['type']),
      if: record({ type: { const: 'date' } }, ['type']),
      then: { required: ['date'] },
      else: { required: ['occurrences'] },
    },
  },
  ['start'],
);

/** Runs of a schedule: a million daily, weekly or monthly runs from any start end before JavaScript's last date. */
const RUN_INDEX = { type: 'integer', minimum: 0, maximum: 1_000_000 } as const;

/** A scheduled job as schema 4 keeps it; schema 3 and older held a `definition` instead (migrations/job-specs.ts). */
const SCHEDULED_JOB = record(
  { id: TEXT, etag: TEXT, spec: SPEC, echo: ECHO, schedule: SCHEDULE, enabled: FLAG, completed: FLAG, runs: RUN_INDEX, nextRun: RUN_INDEX },
  ['id', 'etag', 'spec', 'echo', 'schedule', 'enabled', 'completed', 'runs'],
);
const LEGACY_SCHEDULED_JOB = record({ id: TEXT, etag: TEXT, definition: ANY_OBJECT, schedule: SCHEDULE }, ['id', 'etag', 'schedule']);

/** IoT Central's job collections; `jobs` themselves are checked by the domain (jobs/job-record-check.ts). */
export const CENTRAL_DATA = {
  // Schema 3 snapshots hold a job's `definition`; the migration to schema 4 makes it a `spec` and a `centralJobs` echo.
  jobs: collection(ID.central, record({}, ['id', 'seq', 'status'])),
  centralJobs: collection(ID.central, record({ id: TEXT, echo: ECHO, scheduledJobId: TEXT }, ['id', 'echo'])),
} as const;

export const SCHEDULED_JOBS = collection(ID.central, SCHEDULED_JOB);
export const LEGACY_SCHEDULED_JOBS = collection(ID.central, LEGACY_SCHEDULED_JOB);
