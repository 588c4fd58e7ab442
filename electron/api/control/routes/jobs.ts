import type { FastifyInstance } from 'fastify';
import { batchPlan, findJobDevices } from '../../../domain/jobs/job-progress.js';
import { outcomeHistory } from '../../../domain/jobs/outcome-history.js';
import { Capabilities, JobDevicePage, JobDevicesQuery, JobDryRun, JobDryRunBody, JobOutcomes } from '../schema/jobs.js';

/** Large enough for the UI's results CSV to read a 1M-device job in 100 requests. */
const MAX_PAGE = 10_000;

/** What the UI's job screens read beyond the IoT Central API: filtered device pages, outcomes over time, a dry run, a template's capabilities. */
export async function jobViewRoutes(app: FastifyInstance): Promise<void> {
  const { jobs, groups, templates, clock } = app.services;

  app.get<{ Params: { jobId: string }; Querystring: JobDevicesQuery; Reply: JobDevicePage }>(
    '/jobs/:jobId/devices',
    { schema: { querystring: JobDevicesQuery, response: { 200: JobDevicePage } } },
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
  app.get<{ Params: { jobId: string }; Reply: JobOutcomes }>('/jobs/:jobId/outcomes', { schema: { response: { 200: JobOutcomes } } }, async (request) => {
    const { jobId } = request.params;
    const { basis, points } = outcomeHistory(jobs.get(jobId), await jobs.deviceState(jobId), clock.now(), await jobs.deviceTimes(jobId));
    return { basis, points: points.map((point) => ({ ...point, at: new Date(point.at).toISOString() })) };
  });

  // How many devices and batches a job on this group would have if it started now.
  app.post<{ Body: JobDryRunBody; Reply: JobDryRun }>(
    '/jobs/dry-run',
    { schema: { body: JobDryRunBody, response: { 200: JobDryRun } } },
    async (request) => {
      const devices = groups.resolveGroup(request.body.group).total;
      return { devices, ...batchPlan(request.body.batch, devices) };
    },
  );

  app.get<{ Params: { templateId: string }; Reply: Capabilities }>(
    '/templates/:templateId/capabilities',
    { schema: { response: { 200: Capabilities } } },
    async (request) => {
      templates.require(request.params.templateId);
      return { value: templates.capabilities(request.params.templateId)?.all() ?? [] };
    },
  );
}
