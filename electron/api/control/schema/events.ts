import { Type, type Static } from '@sinclair/typebox';
import type { JobStatus as JobStatusValue } from '../../../domain/jobs/job-model.js';
import { AwsJobStatus } from './aws-jobs.js';
import { OptionalTime } from './common.js';

const JOB_STATUSES: JobStatusValue[] = ['pending', 'running', 'stopped', 'complete', 'cancelled', 'failed'];
const JobStatus = Type.Unsafe<JobStatusValue>({ type: 'string', enum: JOB_STATUSES });

export const BatchCounts = Type.Object({ completed: Type.Integer(), failed: Type.Integer(), pending: Type.Integer() });

/** One job as the `jobs` event summarises it, whichever API created it. */
export const JobSummary = Type.Object({
  id: Type.String(),
  displayName: Type.Optional(Type.String()),
  status: JobStatus,
  /** Which API created the job: the UI shows an AWS IoT job's own view and status. */
  api: Type.Union([Type.Literal('iotCentral'), Type.Literal('awsIot')]),
  /** The AWS IoT job status, for jobs the AWS IoT API created. */
  awsStatus: Type.Optional(AwsJobStatus),
  /** Absent until the job's devices are known (a job that has not started). */
  progress: Type.Optional(Type.Object({ ...BatchCounts.properties, total: Type.Integer() })),
  start: OptionalTime,
  end: OptionalTime,
  /** The job whose failed devices this rerun targets. */
  rerunOf: Type.Optional(Type.String()),
  /** Why the job could not run, when its status is failed. */
  failure: Type.Optional(Type.String()),
});

/** `event: jobs`: every job's summary, in creation order, sent whenever one of them changes. */
export const JobsEvent = Type.Array(JobSummary);

/** `event: job` (with `?job=<id>`): that job's summary, its per-batch counts and the simulated time they were taken at. */
export const JobProgressEvent = Type.Object({
  ...JobSummary.properties,
  at: Type.String({ format: 'date-time' }),
  batchSize: Type.Integer(),
  batchCount: Type.Integer(),
  /** The first 500 batches, in order; `batchCount` says how many there are. */
  batches: Type.Array(BatchCounts),
});

/** `event: missing` (with `?job=<id>`): the job is gone (the emulator was reset). */
const MissingJobEvent = Type.Object({ id: Type.String() });

export type BatchCounts = Static<typeof BatchCounts>;
export type JobSummary = Static<typeof JobSummary>;
export type JobsEvent = Static<typeof JobsEvent>;
export type JobProgressEvent = Static<typeof JobProgressEvent>;

/** Each event GET /events sends, by its `event:` name, with the schema of its `data:`. */
export const StreamEvents = { jobs: JobsEvent, job: JobProgressEvent, missing: MissingJobEvent };
export type StreamEventData = { [Name in keyof typeof StreamEvents]: Static<(typeof StreamEvents)[Name]> };
