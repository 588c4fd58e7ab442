import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../../domain/services.js';
import { CentralError } from '../errors.js';
import { toCentralJob } from '../job-payload.js';
import { pageRequest, toPage } from '../paging.js';
import { toCentralScheduledJob, toScheduledJobInput, type CentralScheduledJobBody } from '../scheduled-job-payload.js';
import { violationText } from '../spec-errors.js';
import { validateRequest } from '../spec-validation.js';

interface Params {
  scheduledJobId: string;
}

const ifMatchOf = (request: FastifyRequest) => request.headers['if-match'];

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
    async (request) =>
      toCentralScheduledJob(await scheduler.put(request.params.scheduledJobId, toScheduledJobInput(request.body), ifMatchOf(request))),
  );

  app.patch<{ Params: Params; Body: Record<string, unknown> }>(
    '/scheduledJobs/:scheduledJobId',
    { config: { operation: 'ScheduledJobs_Update', permission: 'runJobs' } },
    async (request) => {
      const { scheduledJobId } = request.params;
      const current = scheduler.get(scheduledJobId);
      scheduler.checkUpdatable(current, ifMatchOf(request));
      const merged = mergePatch(toCentralScheduledJob(current), request.body) as unknown as CentralScheduledJobBody;
      const violation = validateRequest(request.specVersion, 'ScheduledJobs_Create', { params: request.params, query: request.query, body: merged });
      if (violation) throw new CentralError('UnprocessableEntity', violationText(violation));
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
    async (request) => {
      const instances = scheduler.instances(request.params.scheduledJobId);
      return toPage(request, pageRequest(request), instances.length, (start, end) => instances.slice(start, end).map(toCentralJob));
    },
  );
}

/** RFC 7396 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}
