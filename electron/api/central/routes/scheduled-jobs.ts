import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../domain/services.js';
import { ifMatchOf } from '../if-match.js';
import { toCentralJob } from '../job-payload.js';
import { checkPatched } from '../merge-patch.js';
import { newestFirstPage, pageRequest, toPage } from '../paging.js';
import { toCentralScheduledJob, toScheduledJobInput, type CentralScheduledJobBody } from '../scheduled-job-payload.js';

interface Params {
  scheduledJobId: string;
}

export async function scheduledJobRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { scheduler } = services;

  app.get('/scheduledJobs', { config: { operation: 'ScheduledJobs_List', permission: 'read' } }, async (request) => {
    const list = scheduler.list();
    return toPage(request, pageRequest(request), list.length, (start, end) => list.slice(start, end).map(toCentralScheduledJob));
  });

  app.get<{ Params: Params }>('/scheduledJobs/:scheduledJobId', { config: { operation: 'ScheduledJobs_Get', permission: 'read' } }, async (request) =>
    toCentralScheduledJob(scheduler.get(request.params.scheduledJobId)),
  );

  app.put<{ Params: Params; Body: CentralScheduledJobBody }>(
    '/scheduledJobs/:scheduledJobId',
    { config: { operation: 'ScheduledJobs_Create', permission: 'runJobs' } },
    async (request) => {
      services.groups.checkVisibleIn(request.body.group, request.body.organizations ?? []);
      return toCentralScheduledJob(await scheduler.put(request.params.scheduledJobId, toScheduledJobInput(request.body), ifMatchOf(request)));
    },
  );

  app.patch<{ Params: Params; Body: Record<string, unknown> }>(
    '/scheduledJobs/:scheduledJobId',
    { config: { operation: 'ScheduledJobs_Update', permission: 'runJobs' } },
    async (request) => {
      const { scheduledJobId } = request.params;
      const current = scheduler.get(scheduledJobId);
      scheduler.checkUpdatable(current, ifMatchOf(request));
      const merged = checkPatched(request, 'ScheduledJobs_Create', toCentralScheduledJob(current), request.body) as CentralScheduledJobBody;
      services.groups.checkVisibleIn(merged.group, merged.organizations ?? []);
      return toCentralScheduledJob(await scheduler.put(scheduledJobId, toScheduledJobInput(merged), current.etag));
    },
  );

  app.delete<{ Params: Params }>(
    '/scheduledJobs/:scheduledJobId',
    { config: { operation: 'ScheduledJobs_Remove', permission: 'runJobs' } },
    async (request, reply) => {
      await scheduler.remove(request.params.scheduledJobId, ifMatchOf(request));
      return reply.code(204).send();
    },
  );

  app.get<{ Params: Params }>(
    '/scheduledJobs/:scheduledJobId/jobs',
    { config: { operation: 'ScheduledJobs_ListJobs', permission: 'read' } },
    async (request) => newestFirstPage(request, scheduler.instances(request.params.scheduledJobId), toCentralJob),
  );
}
