import type { FastifyInstance, HTTPMethods } from 'fastify';
import { centralRoute } from '../route-schema.js';
import type { ResponseBody } from '../wire-types.js';

interface TelemetryParams {
  deviceId: string;
  telemetryName: string;
  componentName?: string;
}
interface ModuleParams {
  deviceId: string;
  moduleName: string;
}

/** Every operation on a named IoT Edge module; simulated devices have no modules, so each answers 404. */
const MODULE_OPERATIONS: [HTTPMethods, string, string, 'read' | 'manageDevices'][] = [
  ['GET', '/components', 'Devices_ListModuleComponents', 'read'],
  ['GET', '/properties', 'Devices_GetModuleProperties', 'read'],
  ['PUT', '/properties', 'Devices_ReplaceModuleProperties', 'manageDevices'],
  ['PATCH', '/properties', 'Devices_UpdateModuleProperties', 'manageDevices'],
  ['GET', '/telemetry/:telemetryName', 'Devices_GetModuleTelemetryValue', 'read'],
  ['GET', '/commands/:commandName', 'Devices_GetModuleCommandHistory', 'read'],
  ['POST', '/commands/:commandName', 'Devices_RunModuleCommand', 'manageDevices'],
  ['GET', '/components/:componentName/properties', 'Devices_GetModuleComponentProperties', 'read'],
  ['PUT', '/components/:componentName/properties', 'Devices_ReplaceModuleComponentProperties', 'manageDevices'],
  ['PATCH', '/components/:componentName/properties', 'Devices_UpdateModuleComponentProperties', 'manageDevices'],
  ['GET', '/components/:componentName/telemetry/:telemetryName', 'Devices_GetModuleComponentTelemetryValue', 'read'],
  ['GET', '/components/:componentName/commands/:commandName', 'Devices_GetModuleComponentCommandHistory', 'read'],
  ['POST', '/components/:componentName/commands/:commandName', 'Devices_RunModuleComponentCommand', 'manageDevices'],
];

/** Last telemetry values of a device and its components, and the (always empty) list of its modules. */
export async function deviceTelemetryRoutes(app: FastifyInstance): Promise<void> {
  const { telemetry, modules } = app.services;
  const read = (operation: string) => centralRoute(operation, 'read');

  app.get<{ Params: TelemetryParams; Reply: ResponseBody<'Devices_GetTelemetryValue'> }>(
    '/devices/:deviceId/telemetry/:telemetryName',
    read('Devices_GetTelemetryValue'),
    async (request) => telemetry.lastValue(request.params.deviceId, request.params.telemetryName),
  );

  app.get<{ Params: TelemetryParams; Reply: ResponseBody<'Devices_GetComponentTelemetryValue'> }>(
    '/devices/:deviceId/components/:componentName/telemetry/:telemetryName',
    read('Devices_GetComponentTelemetryValue'),
    async (request) => telemetry.lastValue(request.params.deviceId, request.params.telemetryName, request.params.componentName),
  );

  app.get<{ Params: { deviceId: string }; Reply: ResponseBody<'Devices_ListModules'> }>(
    '/devices/:deviceId/modules',
    read('Devices_ListModules'),
    async (request) => ({
      value: modules.list(request.params.deviceId),
    }),
  );

  for (const [method, suffix, operation, permission] of MODULE_OPERATIONS) {
    app.route<{ Params: ModuleParams }>({
      method,
      url: `/devices/:deviceId/modules/:moduleName${suffix}`,
      ...centralRoute(operation, permission),
      handler: async (request) => modules.require(request.params.deviceId, request.params.moduleName),
    });
  }
}
