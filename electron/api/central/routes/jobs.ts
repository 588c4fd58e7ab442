import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../domain/services.js';
import { pageRequest, toPage } from '../paging.js';

export async function jobRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  app.get('/jobs', { config: { operation: 'Jobs_List', permission: 'read' } }, async (request) => {
    const jobs = services.jobs.list();
    return toPage(request, pageRequest(request), jobs.length, (start, end) => jobs.slice(start, end));
  });
}
