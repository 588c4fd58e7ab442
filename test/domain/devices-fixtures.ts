import { createDeviceServices } from '../../electron/domain/devices/device-services.js';
import type { Clock } from '../../electron/domain/clock.js';
import { memoryStore, type AppStore } from '../../electron/domain/persisted.js';
import { simulateOne } from '../../simulator/behavior.js';

export const THERMOSTAT = 'dtmi:contoso:thermostatTemplate;1';

/** A thermostat in the shape of Microsoft's device template how-to, plus a component, a base interface and an enum. */
export const THERMOSTAT_MODEL = {
  '@id': 'dtmi:contoso:Thermostat;1',
  '@type': 'Interface',
  extends: ['dtmi:contoso:Base;1'],
  contents: [
    { '@type': ['Telemetry', 'Temperature'], name: 'temperature', schema: 'double' },
    { '@type': ['Property', 'Temperature'], name: 'targetTemperature', schema: 'double', writable: true },
    { '@type': ['Property', 'Temperature'], name: 'maxTempSinceLastReboot', schema: 'double' },
    { '@type': 'Property', name: 'mode', writable: true, schema: 'dtmi:contoso:Mode;1' },
    { '@type': 'Property', name: 'schedule', writable: true, schema: { '@type': 'Object', fields: [{ name: 'start', schema: 'time' }, { name: 'days', schema: 'integer' }] } },
    {
      '@type': 'Command',
      name: 'getMaxMinReport',
      request: { '@type': 'CommandPayload', name: 'since', schema: 'dateTime' },
    },
    { '@type': ['Property', 'Cloud', 'StringValue'], name: 'CustomerName', schema: 'string' },
    {
      '@type': 'Component',
      name: 'settings',
      schema: {
        '@id': 'dtmi:contoso:Settings;1',
        '@type': 'Interface',
        contents: [
          { '@type': 'Property', name: 'fanSpeed', schema: 'integer', writable: true },
          { '@type': 'Command', name: 'reset' },
        ],
      },
    },
  ],
  schemas: [
    {
      '@id': 'dtmi:contoso:Mode;1',
      '@type': 'Enum',
      valueSchema: 'string',
      enumValues: [
        { name: 'heat', enumValue: 'heating' },
        { name: 'cool', enumValue: 'cooling' },
      ],
    },
    {
      '@id': 'dtmi:contoso:Base;1',
      '@type': 'Interface',
      contents: [{ '@type': 'Command', name: 'reboot', request: { name: 'delay', schema: 'duration' } }],
    },
  ],
};

export const fixedClock: Clock = { now: () => Date.parse('2025-01-01T00:00:00Z'), wallNow: () => Date.parse('2025-01-01T00:00:00Z') };

export async function deviceServices({ store = memoryStore(), maxDevices }: { store?: AppStore; maxDevices?: number } = {}) {
  const services = createDeviceServices(store, fixedClock, { simulateOne, maxDevices });
  await services.templates.put(THERMOSTAT, { types: ['ModelDefinition', 'DeviceModel'], capabilityModel: THERMOSTAT_MODEL });
  return { store, ...services };
}
