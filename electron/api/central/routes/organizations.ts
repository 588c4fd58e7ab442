import type { FastifyInstance } from 'fastify';
import type { OrganizationInput } from '../../../domain/devices/organizations.js';
import type { Services } from '../../../domain/services.js';
import { ifMatchOf } from '../if-match.js';
import { checkPatched } from '../merge-patch.js';
import { pageRequest, toPage } from '../paging.js';

interface OrganizationParams {
  organizationId: string;
}

export async function organizationRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { organizations } = services;
  const read = (operation: string) => ({ config: { operation, permission: 'read' as const } });
  const write = (operation: string) => ({ config: { operation, permission: 'manageOrganizations' as const } });

  app.get('/organizations', read('Organizations_List'), async (request) => {
    const all = organizations.list();
    return toPage(request, pageRequest(request), all.length, (start, end) => all.slice(start, end));
  });

  app.get<{ Params: OrganizationParams }>('/organizations/:organizationId', read('Organizations_Get'), async (request) =>
    organizations.get(request.params.organizationId),
  );

  app.put<{ Params: OrganizationParams; Body: OrganizationInput }>(
    '/organizations/:organizationId',
    write('Organizations_Create'),
    async (request) => organizations.put(request.params.organizationId, request.body),
  );

  app.patch<{ Params: OrganizationParams; Body: OrganizationInput }>(
    '/organizations/:organizationId',
    write('Organizations_Update'),
    async (request) => {
      checkPatched(request, 'Organizations_Create', organizations.get(request.params.organizationId), request.body);
      return organizations.update(request.params.organizationId, request.body, ifMatchOf(request));
    },
  );

  app.delete<{ Params: OrganizationParams }>('/organizations/:organizationId', write('Organizations_Remove'), async (request, reply) => {
    await organizations.remove(request.params.organizationId);
    return reply.code(204).send();
  });
}
