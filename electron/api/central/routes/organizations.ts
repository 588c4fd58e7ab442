import type { FastifyInstance } from 'fastify';
import { ifMatchOf } from '../if-match.js';
import { checkPatched } from '../merge-patch.js';
import { pageRequest, toPage } from '../paging.js';
import { centralRoute } from '../route-schema.js';
import type { RequestBody, ResponseBody } from '../wire-types.js';

interface OrganizationParams {
  organizationId: string;
}

export async function organizationRoutes(app: FastifyInstance): Promise<void> {
  const { organizations } = app.services;
  const read = (operation: string) => centralRoute(operation, 'read');
  const write = (operation: string) => centralRoute(operation, 'manageOrganizations');

  app.get<{ Reply: ResponseBody<'Organizations_List'> }>('/organizations', read('Organizations_List'), async (request) => {
    const all = organizations.list();
    return toPage(request, pageRequest(request), all.length, (start, end) => all.slice(start, end));
  });

  app.get<{ Params: OrganizationParams; Reply: ResponseBody<'Organizations_Get'> }>('/organizations/:organizationId', read('Organizations_Get'), async (request) =>
    organizations.get(request.params.organizationId),
  );

  app.put<{ Params: OrganizationParams; Body: RequestBody<'Organizations_Create'>; Reply: ResponseBody<'Organizations_Create'> }>(
    '/organizations/:organizationId',
    write('Organizations_Create'),
    async (request) => organizations.put(request.params.organizationId, request.body),
  );

  app.patch<{ Params: OrganizationParams; Body: RequestBody<'Organizations_Update'>; Reply: ResponseBody<'Organizations_Update'> }>(
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
