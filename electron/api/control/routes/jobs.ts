import type { FastifyInstance } from 'fastify';
import type { DeviceJobStatus } from '../../../domain/jobs/job-model.js';
import type { CountOrPercentage } from '../../../domain/jobs/job-spec.js';
import { batchPlan, findJobDevices } from '../../../domain/jobs/job-progress.js';
import { outcomeHistory } from '../../../domain/jobs/outcome-history.js';
import type { Services } from '../../../domain/services.js';
import { strictBody } from '../body-validation.js';

/** Large enough for the UI's results CSV to read a 1M-device job in 100 requests. */
const MAX_PAGE = 10_000;

const DEVICES_QUERY = {
  type: 'object',
  properties: {
    offset: { type: 'string', pattern: '^\\d{1,9}$' },
    limit: { type: 'string', pattern: '^\\d{1,5}$' },
    status: { type: 'string', enum: ['pending', 'completed', 'failed'] },
    search: { type: 'string', maxLength: 128 },
  },
} as const;

const COUNT_OR_PERCENTAGE = {
  type: 'object',
  required: ['type', 'value'],
  additionalProperties: false,
  properties: { type: { enum: ['number', 'percentage'] }, value: { type: 'number', exclusiveMinimum: 0 } },
} as const;

const DRY_RUN_BODY = {
  type: 'object',
  required: ['group'],
  additionalProperties: false,
  properties: { group: { type: 'string', minLength: 1 }, batch: COUNT_OR_PERCENTAGE },
} as const;

interface DevicesQuery {
  offset?: string;
  limit?: string;
  status?: DeviceJobStatus;
  search?: string;
}

/** What the UI's job screens read beyond the IoT Central API: filtered device pages, outcomes over time, a dry run, a template's capabilities. */
export async function jobViewRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { jobs, groups, templates, clock } = services;

  app.get<{ Params: { jobId: string }; Querystring: DevicesQuery }>(
    '/jobs/:jobId/devices',
    { schema: { querystring: DEVICES_QUERY } },
    async (request) => {
      const { offset, limit, status, search } = request.query;
      return findJobDevices(await jobs.deviceState(request.params.jobId), {
        offset: Number(offset ?? 0),
        limit: Math.min(Number(limit ?? 100), MAX_PAGE),
        ...(status ? { status } : {}),
        ...(search ? { search } : {}),
      });
    },
  );

  // Completions and failures over the job's simulated time so far, for a chart that covers the whole job.
  app.get<{ Params: { jobId: string } }>('/jobs/:jobId/outcomes', async (request) => {
    const { jobId } = request.params;
    const { basis, points } = outcomeHistory(jobs.get(jobId), await jobs.deviceState(jobId), clock.now(), await jobs.deviceTimes(jobId));
    return { basis, points: points.map((point) => ({ ...point, at: new Date(point.at).toISOString() })) };
  });

  // How many devices and batches a job on this group would have if it started now.
  app.post<{ Body: { group: string; batch?: CountOrPercentage } }>('/jobs/dry-run', strictBody(DRY_RUN_BODY), async (request) => {
    const devices = groups.resolveGroup(request.body.group).total;
    return { devices, ...batchPlan(request.body.batch, devices) };
  });

  app.get<{ Params: { templateId: string } }>('/templates/:templateId/capabilities', async (request) => {
    templates.require(request.params.templateId);
    return { value: templates.capabilities(request.params.templateId)?.all() ?? [] };
  });
}
