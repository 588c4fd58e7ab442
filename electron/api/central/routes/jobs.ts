import type { FastifyInstance } from 'fastify';
import { toCentralJob, toEcho, toSpec } from '../job-payload.js';
import { newestFirstPage, pageRequest, toPage } from '../paging.js';
import { centralRoute } from '../route-schema.js';
import type { RequestBody } from '../wire-types.js';

interface JobParams {
  jobId: string;
}

export async function jobRoutes(app: FastifyInstance): Promise<void> {
  // Only IoT Central's own jobs: those another API made share the engine but are not listed or found here.
  const { centralJobs: jobs } = app.services;

  app.get('/jobs', centralRoute('Jobs_List', 'read'), async (request) => newestFirstPage(request, jobs.list(), toCentralJob));

  app.get<{ Params: JobParams }>('/jobs/:jobId', centralRoute('Jobs_Get', 'read'), async (request) => toCentralJob(jobs.get(request.params.jobId)));

  app.put<{ Params: JobParams; Body: RequestBody<'Jobs_Create'> }>(
    '/jobs/:jobId',
    centralRoute('Jobs_Create', 'runJobs'),
    async (request) => {
      app.services.groups.checkVisibleIn(request.body.group, request.body.organizations ?? []);
      const echo = toEcho(request.body);
      return toCentralJob(await jobs.create(request.params.jobId, echo, toSpec(echo)));
    },
  );

  app.get<{ Params: JobParams }>('/jobs/:jobId/devices', centralRoute('Jobs_GetDevices', 'read'), async (request) => {
    const page = pageRequest(request);
    jobs.get(request.params.jobId);
    const { total, devices } = await app.services.jobs.devices(request.params.jobId, page.offset, page.offset + page.size);
    return toPage(request, page, total, () => devices.map(({ id, status }) => ({ id, status })));
  });

  app.post<{ Params: JobParams }>('/jobs/:jobId/stop', centralRoute('Jobs_Stop', 'runJobs'), async (request, reply) => {
    await jobs.stop(request.params.jobId);
    return reply.code(204).send();
  });

  app.post<{ Params: JobParams }>('/jobs/:jobId/resume', centralRoute('Jobs_Resume', 'runJobs'), async (request, reply) => {
    await jobs.resume(request.params.jobId);
    return reply.code(204).send();
  });

  app.put<{ Params: JobParams & { rerunId: string } }>(
    '/jobs/:jobId/rerun/:rerunId',
    centralRoute('Jobs_Rerun', 'runJobs'),
    async (request) => toCentralJob(await jobs.rerun(request.params.jobId, request.params.rerunId)),
  );
}
