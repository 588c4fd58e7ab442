import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { awsJobStatusOf } from '../../../domain/aws/aws-job-model.js';
import { DomainError } from '../../../domain/errors.js';
import type { JobRecord } from '../../../domain/jobs/job-model.js';
import { batchProgress } from '../../../domain/jobs/job-progress.js';
import type { Services } from '../../../domain/services.js';

export interface EventOptions {
  services: Services;
  /** How often each open stream looks for changes. */
  intervalMs?: number;
}

const KEEPALIVE_MS = 15_000;

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function summaryOf(job: JobRecord, now: number) {
  const total = job.total;
  const dialect = job.definition.dialect ?? 'central';
  return {
    id: job.id,
    displayName: job.definition.displayName,
    status: job.status,
    dialect,
    ...(dialect === 'aws' && { awsStatus: awsJobStatusOf(job, now) }),
    ...(total !== undefined && { progress: { total, completed: job.completed, failed: job.failed, pending: total - job.completed - job.failed } }),
    start: iso(job.start),
    end: iso(job.end),
    ...(job.failure !== undefined && { failure: job.failure }),
  };
}

/**
 * GET /events: Server-Sent Events for the UI. `jobs` carries every job's summary whenever one changes; with
 * `?job=<id>`, `job` carries that job's summary with per-batch counts and the simulated time, and `missing` says the
 * job is gone (after a reset). Changes are looked for on an interval, only while a stream is open.
 */
export async function eventRoutes(app: FastifyInstance, { services, intervalMs = 250 }: EventOptions): Promise<void> {
  const { jobs, clock } = services;
  const open = new Set<ServerResponse>();

  // Open streams would keep the server from closing.
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
  });

  app.get<{ Querystring: { job?: string } }>(
    '/events',
    { schema: { querystring: { type: 'object', properties: { job: { type: 'string', minLength: 1, maxLength: 255 } } } } },
    async (request, reply) => {
      const jobId = request.query.job;
      if (jobId !== undefined) jobs.get(jobId);
      reply.hijack();
      const stream = reply.raw;
      stream.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
      stream.write('retry: 2000\n\n');
      open.add(stream);

      const send = (event: string, data: unknown) => stream.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      let lastJobs = '';
      let lastJob = '';
      let busy = false;
      const tick = async () => {
        if (busy) return;
        busy = true;
        try {
          const summaries = JSON.stringify(jobs.list().map((job) => summaryOf(job, clock.now())));
          if (summaries !== lastJobs) {
            lastJobs = summaries;
            stream.write(`event: jobs\ndata: ${summaries}\n\n`);
          }
          if (jobId !== undefined) await sendJob(jobId);
        } finally {
          busy = false;
        }
      };
      const sendJob = async (id: string) => {
        let job: JobRecord;
        try {
          job = jobs.get(id);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          if (lastJob !== 'missing') send('missing', { id });
          lastJob = 'missing';
          return;
        }
        const summary = summaryOf(job, clock.now());
        const fingerprint = JSON.stringify(summary);
        if (fingerprint === lastJob) return;
        lastJob = fingerprint;
        send('job', { ...summary, at: iso(clock.now()), ...batchProgress(job, await jobs.deviceState(id)) });
      };

      const update = () => void tick().catch((error: unknown) => request.log.error({ err: error }, 'event stream update failed'));
      const timer = setInterval(update, intervalMs);
      const keepalive = setInterval(() => stream.write(': keepalive\n\n'), KEEPALIVE_MS);
      stream.on('close', () => {
        clearInterval(timer);
        clearInterval(keepalive);
        open.delete(stream);
      });
      update();
    },
  );
}
