import type { FastifyInstance } from 'fastify';
import { notFound } from '../../../domain/errors.js';
import type { JobRecord } from '../../../domain/jobs/job-model.js';
import { toCentralJob, toDefinition } from '../job-payload.js';
import { newestFirstPage, pageRequest, toPage } from '../paging.js';
import { centralRoute } from '../route-schema.js';
import type { RequestBody } from '../wire-types.js';

interface JobParams {
  jobId: string;
}

const isCentral = (job: JobRecord) => job.definition.dialect !== 'aws';

export async function jobRoutes(app: FastifyInstance): Promise<void> {
  const { jobs } = app.services;
  // Jobs created through the AWS IoT dialect share the engine but are not IoT Central jobs.
  const centralJob = (id: string) => {
    const job = jobs.get(id);
    if (!isCentral(job)) throw notFound('Job', id);
    return job;
  };

  app.get('/jobs', centralRoute('Jobs_List', 'read'), async (request) =>
    newestFirstPage(request, jobs.list().filter(isCentral), toCentralJob),
  );

  app.get<{ Params: JobParams }>('/jobs/:jobId', centralRoute('Jobs_Get', 'read'), async (request) =>
    toCentralJob(centralJob(request.params.jobId)),
  );

  app.put<{ Params: JobParams; Body: RequestBody<'Jobs_Create'> }>(
    '/jobs/:jobId',
    centralRoute('Jobs_Create', 'runJobs'),
    async (request) => {
      app.services.groups.checkVisibleIn(request.body.group, request.body.organizations ?? []);
      return toCentralJob(await jobs.create(request.params.jobId, toDefinition(request.body)));
    },
  );

  app.get<{ Params: JobParams }>('/jobs/:jobId/devices', centralRoute('Jobs_GetDevices', 'read'), async (request) => {
    const page = pageRequest(request);
    centralJob(request.params.jobId);
    const { total, devices } = await jobs.devices(request.params.jobId, page.offset, page.offset + page.size);
    return toPage(request, page, total, () => devices.map(({ id, status }) => ({ id, status })));
  });

  app.post<{ Params: JobParams }>('/jobs/:jobId/stop', centralRoute('Jobs_Stop', 'runJobs'), async (request, reply) => {
    centralJob(request.params.jobId);
    await jobs.stop(request.params.jobId);
    return reply.code(204).send();
  });

  app.post<{ Params: JobParams }>('/jobs/:jobId/resume', centralRoute('Jobs_Resume', 'runJobs'), async (request, reply) => {
    centralJob(request.params.jobId);
    await jobs.resume(request.params.jobId);
    return reply.code(204).send();
  });

  app.put<{ Params: JobParams & { rerunId: string } }>(
    '/jobs/:jobId/rerun/:rerunId',
    centralRoute('Jobs_Rerun', 'runJobs'),
    async (request) => {
      centralJob(request.params.jobId);
      return toCentralJob(await jobs.rerun(request.params.jobId, request.params.rerunId));
    },
  );
}
