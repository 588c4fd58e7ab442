import type { FastifyInstance } from 'fastify';
import { ifMatchOf } from '../if-match.js';
import { checkPatched } from '../merge-patch.js';
import { anchoredPage } from '../paging.js';
import { componentsView, propertiesView, writtenView } from '../property-view.js';
import { filteredDevicePage, hasListOptions } from './device-list-query.js';
import { centralRoute } from '../route-schema.js';
import type { RequestBody, ResponseBody } from '../wire-types.js';

interface DeviceParams {
  deviceId: string;
}
interface ComponentParams extends DeviceParams {
  componentName: string;
}
interface CommandParams extends DeviceParams {
  commandName: string;
}
interface ComponentCommandParams extends CommandParams {
  componentName: string;
}
type Properties = Record<string, unknown>;

export async function deviceRoutes(app: FastifyInstance): Promise<void> {
  const { devices, twins } = app.services;
  const read = (operation: string) => centralRoute(operation, 'read');
  const write = (operation: string) => centralRoute(operation, 'manageDevices');

  app.get<{ Reply: ResponseBody<'Devices_List'> }>('/devices', read('Devices_List'), async (request) => {
    if (hasListOptions(request)) return filteredDevicePage(request, app.services.listing, devices);
    return anchoredPage(request, devices.count(), (start, end) => devices.page(start, end), (device) => device.id, (id) => devices.positionOf(id));
  });

  app.get<{ Params: DeviceParams; Reply: ResponseBody<'Devices_Get'> }>(
    '/devices/:deviceId',
    read('Devices_Get'),
    async (request) => devices.get(request.params.deviceId),
  );

  app.put<{ Params: DeviceParams; Body: RequestBody<'Devices_Create'>; Reply: ResponseBody<'Devices_Create'> }>(
    '/devices/:deviceId',
    write('Devices_Create'),
    async (request) => devices.put(request.params.deviceId, request.body),
  );

  app.patch<{ Params: DeviceParams; Body: RequestBody<'Devices_Update'>; Headers: { 'if-match'?: string }; Reply: ResponseBody<'Devices_Update'> }>(
    '/devices/:deviceId',
    write('Devices_Update'),
    async (request) => {
      checkPatched(request, 'Devices_Create', devices.get(request.params.deviceId), request.body);
      return devices.update(request.params.deviceId, request.body, ifMatchOf(request));
    },
  );

  app.delete<{ Params: DeviceParams }>('/devices/:deviceId', write('Devices_Remove'), async (request, reply) => {
    await devices.remove(request.params.deviceId);
    return reply.code(204).send();
  });

  app.get<{ Params: DeviceParams; Reply: ResponseBody<'Devices_ListComponents'> }>(
    '/devices/:deviceId/components',
    read('Devices_ListComponents'),
    async (request) => ({
      value: componentsView(twins.components(request.params.deviceId)),
    }),
  );

  app.get<{ Params: DeviceParams; Reply: ResponseBody<'Devices_GetProperties'> }>('/devices/:deviceId/properties', read('Devices_GetProperties'), async (request) =>
    propertiesView(twins.properties(request.params.deviceId)),
  );

  for (const [method, operation] of [
    ['PUT', 'Devices_ReplaceProperties'],
    ['PATCH', 'Devices_UpdateProperties'],
  ] as const) {
    app.route<{ Params: DeviceParams; Body: Properties }>({
      method,
      url: '/devices/:deviceId/properties',
      ...write(operation),
      handler: async (request, reply) => reply.code(202).send(writtenView(await twins.writeProperties(request.params.deviceId, request.body))),
    });
  }

  app.get<{ Params: ComponentParams; Reply: ResponseBody<'Devices_GetComponentProperties'> }>(
    '/devices/:deviceId/components/:componentName/properties',
    read('Devices_GetComponentProperties'),
    async (request) => propertiesView(twins.properties(request.params.deviceId, request.params.componentName), request.params.componentName),
  );

  for (const [method, operation] of [
    ['PUT', 'Devices_ReplaceComponentProperties'],
    ['PATCH', 'Devices_UpdateComponentProperties'],
  ] as const) {
    app.route<{ Params: ComponentParams; Body: Properties }>({
      method,
      url: '/devices/:deviceId/components/:componentName/properties',
      ...write(operation),
      handler: async (request, reply) =>
        reply.code(202).send(writtenView(await twins.writeProperties(request.params.deviceId, request.body, request.params.componentName), request.params.componentName)),
    });
  }

  app.post<{ Params: CommandParams; Body: RequestBody<'Devices_RunCommand'> }>(
    '/devices/:deviceId/commands/:commandName',
    write('Devices_RunCommand'),
    async (request, reply) => reply.code(201).send(await twins.runCommand(request.params.deviceId, request.params.commandName, request.body ?? {})),
  );

  app.get<{ Params: CommandParams; Reply: ResponseBody<'Devices_GetCommandHistory'> }>(
    '/devices/:deviceId/commands/:commandName',
    read('Devices_GetCommandHistory'),
    async (request) => ({
      value: twins.commandHistory(request.params.deviceId, request.params.commandName),
    }),
  );

  app.post<{ Params: ComponentCommandParams; Body: RequestBody<'Devices_RunComponentCommand'> }>(
    '/devices/:deviceId/components/:componentName/commands/:commandName',
    write('Devices_RunComponentCommand'),
    async (request, reply) => {
      const { deviceId, componentName, commandName } = request.params;
      return reply.code(201).send(await twins.runCommand(deviceId, commandName, request.body ?? {}, componentName));
    },
  );

  app.get<{ Params: ComponentCommandParams; Reply: ResponseBody<'Devices_GetComponentCommandHistory'> }>(
    '/devices/:deviceId/components/:componentName/commands/:commandName',
    read('Devices_GetComponentCommandHistory'),
    async (request) => {
      const { deviceId, componentName, commandName } = request.params;
      return { value: twins.commandHistory(deviceId, commandName, componentName) };
    },
  );
}
