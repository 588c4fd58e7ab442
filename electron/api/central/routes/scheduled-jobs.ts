import type { FastifyInstance } from 'fastify';
import { ifMatchOf } from '../if-match.js';
import { toCentralJob } from '../job-payload.js';
import { checkPatched } from '../merge-patch.js';
import { newestFirstPage, pageRequest, toPage } from '../paging.js';
import { toCentralScheduledJob, toScheduledJobInput, type CentralScheduledJobBody } from '../scheduled-job-payload.js';
import { centralRoute } from '../route-schema.js';

interface Params {
  scheduledJobId: string;
}

export async function scheduledJobRoutes(app: FastifyInstance): Promise<void> {
  const { scheduler } = app.services;

  app.get('/scheduledJobs', centralRoute('ScheduledJobs_List', 'read'), async (request) => {
    const list = scheduler.list();
    return toPage(request, pageRequest(request), list.length, (start, end) => list.slice(start, end).map(toCentralScheduledJob));
  });

  app.get<{ Params: Params }>('/scheduledJobs/:scheduledJobId', centralRoute('ScheduledJobs_Get', 'read'), async (request) =>
    toCentralScheduledJob(scheduler.get(request.params.scheduledJobId)),
  );

  app.put<{ Params: Params; Body: CentralScheduledJobBody }>(
    '/scheduledJobs/:scheduledJobId',
    centralRoute('ScheduledJobs_Create', 'runJobs'),
    async (request) => {
      app.services.groups.checkVisibleIn(request.body.group, request.body.organizations ?? []);
      return toCentralScheduledJob(await scheduler.put(request.params.scheduledJobId, toScheduledJobInput(request.body), ifMatchOf(request)));
    },
  );

  app.patch<{ Params: Params; Body: Record<string, unknown> }>(
    '/scheduledJobs/:scheduledJobId',
    centralRoute('ScheduledJobs_Update', 'runJobs'),
    async (request) => {
      const { scheduledJobId } = request.params;
      const current = scheduler.get(scheduledJobId);
      scheduler.checkUpdatable(current, ifMatchOf(request));
      const merged = checkPatched(request, 'ScheduledJobs_Create', toCentralScheduledJob(current), request.body) as CentralScheduledJobBody;
      app.services.groups.checkVisibleIn(merged.group, merged.organizations ?? []);
      return toCentralScheduledJob(await scheduler.put(scheduledJobId, toScheduledJobInput(merged), current.etag));
    },
  );

  app.delete<{ Params: Params }>(
    '/scheduledJobs/:scheduledJobId',
    centralRoute('ScheduledJobs_Remove', 'runJobs'),
    async (request, reply) => {
      await scheduler.remove(request.params.scheduledJobId, ifMatchOf(request));
      return reply.code(204).send();
    },
  );

  app.get<{ Params: Params }>(
    '/scheduledJobs/:scheduledJobId/jobs',
    centralRoute('ScheduledJobs_ListJobs', 'read'),
    async (request) => newestFirstPage(request, scheduler.instances(request.params.scheduledJobId), toCentralJob),
  );
}
