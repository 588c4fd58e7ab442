import type { FastifyInstance } from 'fastify';
import { ifMatchOf } from '../if-match.js';
import { checkPatched } from '../merge-patch.js';
import { pageRequest, toPage } from '../paging.js';
import { rejectListOptions } from './list-options.js';
import { centralRoute } from '../route-schema.js';
import type { RequestBody, ResponseBody } from '../wire-types.js';

interface GroupParams {
  deviceGroupId: string;
}

export async function deviceGroupRoutes(app: FastifyInstance): Promise<void> {
  const { groups } = app.services;
  const read = (operation: string) => centralRoute(operation, 'read');
  const write = (operation: string) => centralRoute(operation, 'manageDevices');

  app.get<{ Reply: ResponseBody<'DeviceGroups_List'> }>('/deviceGroups', read('DeviceGroups_List'), async (request) => {
    rejectListOptions(request);
    const all = groups.list();
    return toPage(request, pageRequest(request), all.length, (start, end) => all.slice(start, end));
  });

  app.get<{ Params: GroupParams; Reply: ResponseBody<'DeviceGroups_Get'> }>('/deviceGroups/:deviceGroupId', read('DeviceGroups_Get'), async (request) =>
    groups.get(request.params.deviceGroupId),
  );

  app.put<{ Params: GroupParams; Body: RequestBody<'DeviceGroups_Create'>; Reply: ResponseBody<'DeviceGroups_Create'> }>(
    '/deviceGroups/:deviceGroupId',
    write('DeviceGroups_Create'),
    async (request) => groups.put(request.params.deviceGroupId, request.body),
  );

  app.patch<{ Params: GroupParams; Body: RequestBody<'DeviceGroups_Update'>; Headers: { 'if-match'?: string }; Reply: ResponseBody<'DeviceGroups_Update'> }>(
    '/deviceGroups/:deviceGroupId',
    write('DeviceGroups_Update'),
    async (request) => {
      checkPatched(request, 'DeviceGroups_Create', groups.get(request.params.deviceGroupId), request.body);
      return groups.update(request.params.deviceGroupId, request.body, ifMatchOf(request));
    },
  );

  app.delete<{ Params: GroupParams }>('/deviceGroups/:deviceGroupId', write('DeviceGroups_Remove'), async (request, reply) => {
    await groups.remove(request.params.deviceGroupId);
    return reply.code(204).send();
  });

  app.get<{ Params: GroupParams; Reply: ResponseBody<'DeviceGroups_GetDevices'> }>(
    '/deviceGroups/:deviceGroupId/devices',
    read('DeviceGroups_GetDevices'),
    async (request) => {
      const page = pageRequest(request);
      const { total, page: first } = groups.members(request.params.deviceGroupId, page.offset, page.offset + page.size);
      return toPage(request, page, total, () => first);
    },
  );
}
