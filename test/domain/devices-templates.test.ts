import { describe, expect, it } from 'vitest';
import type { DomainError } from '../../electron/domain/errors.js';
import { THERMOSTAT, deviceServices } from './devices-fixtures.js';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect((error as DomainError).kind).toBe('InvalidInput');
    return (error as Error).message;
  }
  throw new Error('no error');
}

describe('device templates and job values', () => {
  it('indexes writable properties, commands, cloud properties, components and inherited capabilities', async () => {
    const { templates } = await deviceServices();
    expect(templates.capability(THERMOSTAT, 'property', 'targetTemperature')).toMatchObject({ schema: 'double', writable: true });
    expect(templates.capability(THERMOSTAT, 'property', 'maxTempSinceLastReboot')?.writable).toBe(false);
    expect(templates.capability(THERMOSTAT, 'cloudProperty', 'CustomerName')).toMatchObject({ schema: 'string' });
    expect(templates.capability(THERMOSTAT, 'property', 'settings.fanSpeed')).toMatchObject({ component: 'settings', schema: 'integer' });
    expect(templates.capability(THERMOSTAT, 'command', 'settings.reset')).toBeDefined();
    expect(templates.capability(THERMOSTAT, 'command', 'reboot')).toMatchObject({ schema: 'duration' });
    expect(templates.capability(THERMOSTAT, 'property', 'temperature')).toBeUndefined();
    expect(templates.capabilities(THERMOSTAT)?.components.map((c) => c.name)).toEqual(['settings']);
  });

  it('accepts "55" for a double as the jobs how-to sends it and normalises it to a number', async () => {
    const { templates } = await deviceServices();
    expect(templates.normalizeJobValue(THERMOSTAT, 'property', 'targetTemperature', '55')).toBe(55);
    expect(templates.normalizeJobValue(THERMOSTAT, 'property', 'targetTemperature', 56.5)).toBe(56.5);
    expect(templates.normalizeJobValue(THERMOSTAT, 'property', 'settings.fanSpeed', '3')).toBe(3);
    expect(templates.normalizeJobValue(THERMOSTAT, 'property', 'mode', 'cool')).toBe('cooling');
    expect(templates.normalizeJobValue(THERMOSTAT, 'property', 'schedule', { start: '07:30:00', days: '5' })).toEqual({ start: '07:30:00', days: 5 });
    expect(templates.normalizeJobValue(THERMOSTAT, 'command', 'getMaxMinReport', '2021-06-15T05:00:00.000Z')).toBe('2021-06-15T05:00:00.000Z');
    expect(templates.normalizeJobValue(THERMOSTAT, 'command', 'reboot', 'PT5M')).toBe('PT5M');
    expect(templates.normalizeJobValue(THERMOSTAT, 'cloudProperty', 'CustomerName', 'Contoso')).toBe('Contoso');
  });

  it.each([
    ['dtmi:missing;1', 'property', 'targetTemperature', 1, 'Device template "dtmi:missing;1" does not exist.'],
    [THERMOSTAT, 'property', 'nope', 1, `Device template "${THERMOSTAT}" has no property "nope".`],
    [THERMOSTAT, 'property', 'CustomerName', 'x', `Device template "${THERMOSTAT}" has no property "CustomerName"; "CustomerName" is a cloud property.`],
    [THERMOSTAT, 'property', 'maxTempSinceLastReboot', 1, `Property "maxTempSinceLastReboot" of device template "${THERMOSTAT}" is read-only; only writable properties can be set.`],
    [THERMOSTAT, 'property', 'targetTemperature', 'warm', 'The value for "targetTemperature": expected a number, got "warm".'],
    [THERMOSTAT, 'property', 'settings.fanSpeed', 2.5, 'The value for "settings.fanSpeed": expected a 32-bit integer, got 2.5.'],
    [THERMOSTAT, 'property', 'mode', 'off', 'The value for "mode": "off" is not one of the enum values "heating", "cooling".'],
    [THERMOSTAT, 'property', 'schedule', { start: 'noon' }, 'The value for "schedule".start: expected a time (hh:mm:ss), got "noon".'],
    [THERMOSTAT, 'command', 'getMaxMinReport', 'yesterday', 'The value for "getMaxMinReport": expected an ISO 8601 date-time, got "yesterday".'],
    [THERMOSTAT, 'cloudProperty', 'CustomerName', 42, 'The value for "CustomerName": expected a string, got 42.'],
  ] as const)('rejects %s %s %s = %j', async (template, kind, path, value, message) => {
    const { templates } = await deviceServices();
    expect(messageOf(() => templates.normalizeJobValue(template, kind, path, value))).toBe(message);
  });

  it('refuses to delete a template that devices use', async () => {
    const { templates, devices } = await deviceServices();
    await devices.createFleet({ template: THERMOSTAT, count: 3, idPrefix: 't' }, () => 0);
    await expect(templates.remove(THERMOSTAT)).rejects.toMatchObject({ kind: 'Conflict' });
  });
});
