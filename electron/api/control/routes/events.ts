import type { FastifyInstance } from 'fastify';
import { awsJobStatusOf } from '../../../domain/aws/aws-job-model.js';
import { DomainError } from '../../../domain/errors.js';
import type { JobRecord } from '../../../domain/jobs/job-model.js';
import { batchProgress } from '../../../domain/jobs/job-progress.js';
import { CentralError } from '../../central/errors.js';
import { EventBroadcaster, type TopicState } from '../event-broadcaster.js';
import type { JobSummary, StreamEventData } from '../schema/events.js';
import { EventsQuery, Text } from '../schema/info.js';

export interface EventOptions {
  /** How often the open streams' topics are looked at for changes. */
  intervalMs?: number;
  /** Streams open at once; one more answers 429. */
  maxStreams?: number;
}

const DEFAULT_MAX_EVENT_STREAMS = 100;
const KEEPALIVE_MS = 15_000;
const MAX_BUFFERED_BYTES = 1024 * 1024;
const JOBS_TOPIC = 'jobs';
const jobTopic = (id: string) => `job:${id}`;

const frame = <Name extends keyof StreamEventData>(event: Name, data: StreamEventData[Name]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function summaryOf(job: JobRecord, now: number, isAws: boolean): JobSummary {
  const total = job.total;
  return {
    id: job.id,
    displayName: job.spec.displayName,
    status: job.status,
    api: isAws ? 'awsIot' : 'iotCentral',
    ...(isAws && { awsStatus: awsJobStatusOf(job, now) }),
    ...(total !== undefined && { progress: { total, completed: job.completed, failed: job.failed, pending: total - job.completed - job.failed } }),
    start: iso(job.start),
    end: iso(job.end),
    ...(job.rerunOf !== undefined && { rerunOf: job.rerunOf }),
    ...(job.failure !== undefined && { failure: job.failure }),
  };
}

/**
 * GET /events: Server-Sent Events for the UI, each event's data typed by its schema in ../schema/events.ts. `jobs`
 * carries every job's summary whenever one changes; with `?job=<id>`, `job` carries that job's summary with per-batch
 * counts and the simulated time, and `missing` says the job is gone (after a reset). One broadcaster serves every
 * stream: each change is serialised once, whatever the number of streams, and at most `maxStreams` are open at once.
 */
export async function eventRoutes(app: FastifyInstance, { intervalMs = 250, maxStreams = DEFAULT_MAX_EVENT_STREAMS }: EventOptions): Promise<void> {
  const { jobs, clock, aws } = app.services;
  const summary = (job: JobRecord) => summaryOf(job, clock.now(), aws.jobs.owns(job.id));

  const jobsState = (): TopicState => {
    const text = frame('jobs', jobs.list().map(summary));
    return { fingerprint: text, frame: () => text };
  };
  const jobState = (id: string): TopicState => {
    let job: JobRecord;
    try {
      job = jobs.get(id);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { fingerprint: 'missing', frame: () => frame('missing', { id }) };
    }
    const current = summary(job);
    return {
      fingerprint: JSON.stringify(current),
      frame: async () => frame('job', { ...current, at: new Date(clock.now()).toISOString(), ...batchProgress(job, await jobs.deviceState(id)) }),
    };
  };

  const broadcaster = new EventBroadcaster((topic) => (topic === JOBS_TOPIC ? jobsState() : jobState(topic.slice('job:'.length))), {
    intervalMs,
    keepaliveMs: KEEPALIVE_MS,
    maxBufferedBytes: MAX_BUFFERED_BYTES,
    onError: (error) => app.log.error({ err: error }, 'event stream update failed'),
  });
  app.addHook('preClose', async () => broadcaster.close());

  app.get<{ Querystring: { job?: string } }>(
    '/events',
    // The stream is written to the raw response (text/event-stream), past any serializer.
    { schema: { querystring: EventsQuery, response: { 200: Text } } },
    async (request, reply) => {
      const jobId = request.query.job;
      if (jobId !== undefined) jobs.get(jobId);
      if (broadcaster.size >= maxStreams) {
        throw new CentralError('TooManyRequests', `Fleetlab serves at most ${maxStreams} event streams at once (maxEventStreams); close another tab or window of the UI first.`);
      }
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
      // A HEAD request asks for the headers only: it must not become a stream that never ends.
      if (request.method === 'HEAD') {
        reply.raw.end();
        return;
      }
      reply.raw.write('retry: 2000\n\n');
      broadcaster.subscribe(reply.raw, jobId === undefined ? [JOBS_TOPIC] : [JOBS_TOPIC, jobTopic(jobId)]);
    },
  );
}
