import type { FastifyInstance } from 'fastify';
import type { DeviceGroupInput } from '../../../domain/devices/device-groups.js';
import type { Services } from '../../../domain/services.js';
import { ifMatchOf } from '../if-match.js';
import { checkPatched } from '../merge-patch.js';
import { pageRequest, toPage } from '../paging.js';
import { rejectListOptions } from './list-options.js';

interface GroupParams {
  deviceGroupId: string;
}

export async function deviceGroupRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { groups } = services;
  const read = (operation: string) => ({ config: { operation, permission: 'read' as const } });
  const write = (operation: string) => ({ config: { operation, permission: 'manageDevices' as const } });

  app.get('/deviceGroups', read('DeviceGroups_List'), async (request) => {
    rejectListOptions(request);
    const all = groups.list();
    return toPage(request, pageRequest(request), all.length, (start, end) => all.slice(start, end));
  });

  app.get<{ Params: GroupParams }>('/deviceGroups/:deviceGroupId', read('DeviceGroups_Get'), async (request) =>
    groups.get(request.params.deviceGroupId),
  );

  app.put<{ Params: GroupParams; Body: DeviceGroupInput }>('/deviceGroups/:deviceGroupId', write('DeviceGroups_Create'), async (request) =>
    groups.put(request.params.deviceGroupId, request.body),
  );

  app.patch<{ Params: GroupParams; Body: DeviceGroupInput; Headers: { 'if-match'?: string } }>(
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

  app.get<{ Params: GroupParams }>('/deviceGroups/:deviceGroupId/devices', read('DeviceGroups_GetDevices'), async (request) => {
    const page = pageRequest(request);
    const { total, page: first } = groups.members(request.params.deviceGroupId, page.offset, page.offset + page.size);
    return toPage(request, page, total, () => first);
  });
}
