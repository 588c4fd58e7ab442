import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../domain/services.js';
import { toCentralJob, toEcho, toSpec, type CentralJobBody } from '../job-payload.js';
import { newestFirstPage, pageRequest, toPage } from '../paging.js';

interface JobParams {
  jobId: string;
}

export async function jobRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  // Only IoT Central's own jobs: those another API made share the engine but are not listed or found here.
  const { centralJobs: jobs } = services;

  app.get('/jobs', { config: { operation: 'Jobs_List', permission: 'read' } }, async (request) => newestFirstPage(request, jobs.list(), toCentralJob));

  app.get<{ Params: JobParams }>('/jobs/:jobId', { config: { operation: 'Jobs_Get', permission: 'read' } }, async (request) =>
    toCentralJob(jobs.get(request.params.jobId)),
  );

  app.put<{ Params: JobParams; Body: CentralJobBody }>(
    '/jobs/:jobId',
    { config: { operation: 'Jobs_Create', permission: 'runJobs' } },
    async (request) => {
      services.groups.checkVisibleIn(request.body.group, request.body.organizations ?? []);
      const echo = toEcho(request.body);
      return toCentralJob(await jobs.create(request.params.jobId, echo, toSpec(echo)));
    },
  );

  app.get<{ Params: JobParams }>('/jobs/:jobId/devices', { config: { operation: 'Jobs_GetDevices', permission: 'read' } }, async (request) => {
    const page = pageRequest(request);
    jobs.get(request.params.jobId);
    const { total, devices } = await services.jobs.devices(request.params.jobId, page.offset, page.offset + page.size);
    return toPage(request, page, total, () => devices.map(({ id, status }) => ({ id, status })));
  });

  app.post<{ Params: JobParams }>('/jobs/:jobId/stop', { config: { operation: 'Jobs_Stop', permission: 'runJobs' } }, async (request, reply) => {
    await jobs.stop(request.params.jobId);
    return reply.code(204).send();
  });

  app.post<{ Params: JobParams }>('/jobs/:jobId/resume', { config: { operation: 'Jobs_Resume', permission: 'runJobs' } }, async (request, reply) => {
    await jobs.resume(request.params.jobId);
    return reply.code(204).send();
  });

  app.put<{ Params: JobParams & { rerunId: string } }>(
    '/jobs/:jobId/rerun/:rerunId',
    { config: { operation: 'Jobs_Rerun', permission: 'runJobs' } },
    async (request) => toCentralJob(await jobs.rerun(request.params.jobId, request.params.rerunId)),
  );
}
