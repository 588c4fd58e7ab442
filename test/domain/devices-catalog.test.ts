import { describe, expect, it } from 'vitest';
import { DomainError } from '../../electron/domain/errors.js';
import { THERMOSTAT, deviceServices } from './devices-fixtures.js';

const kindOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return (error as DomainError).kind;
  }
  return 'none';
};

describe('the device catalog', () => {
  it('creates a fleet of 1,000,000 devices as one range and pages it without materialising it', async () => {
    const { devices, store } = await deviceServices();
    const created = await devices.createFleet({ template: THERMOSTAT, count: 1_000_000, idPrefix: 'therm' }, () => 0);
    expect(created).toMatchObject({ count: 1_000_000, firstId: 'therm-1', lastId: 'therm-1000000' });
    expect(store.data.fleets).toHaveLength(1);
    expect(Object.keys(store.data.devices)).toHaveLength(0);
    expect(devices.count()).toBe(1_000_000);
    expect(devices.page(0, 3).map((d) => d.id)).toEqual(['therm-1', 'therm-2', 'therm-3']);
    expect(devices.page(999_998, 1_000_100).map((d) => d.id)).toEqual(['therm-999999', 'therm-1000000']);
    expect(devices.get('therm-500000')).toMatchObject({ template: THERMOSTAT, simulated: true, provisioned: true, enabled: true });
  });

  it('lists individual devices first, then fleet members, skipping deleted ones and showing edits in place', async () => {
    const { devices } = await deviceServices();
    await devices.put('solo', { displayName: 'Solo', template: THERMOSTAT, simulated: true });
    await devices.createFleet({ template: THERMOSTAT, count: 5, idPrefix: 'f' }, () => 0);
    await devices.remove('f-2');
    await devices.update('f-4', { displayName: 'Fourth' });
    expect(devices.count()).toBe(5);
    const listed = devices.page(0, 100);
    expect(listed.map((d) => d.id)).toEqual(['solo', 'f-1', 'f-3', 'f-4', 'f-5']);
    expect(listed[3]!.displayName).toBe('Fourth');
    expect(devices.page(2, 4).map((d) => d.id)).toEqual(['f-3', 'f-4']);
    expect(await kindOf(Promise.resolve().then(() => devices.get('f-2')))).toBe('NotFound');
    await devices.put('f-2', { template: THERMOSTAT, simulated: true });
    expect(devices.page(0, 100).map((d) => d.id)).toEqual(['solo', 'f-1', 'f-2', 'f-3', 'f-4', 'f-5']);
  });

  it('refuses a fleet that collides with an existing device or range', async () => {
    const { devices } = await deviceServices();
    await devices.put('pump-7', { template: THERMOSTAT });
    expect(await kindOf(devices.createFleet({ template: THERMOSTAT, count: 10, idPrefix: 'pump' }, () => 0))).toBe('Conflict');
    await devices.createFleet({ template: THERMOSTAT, count: 10, idPrefix: 'valve' }, () => 0);
    expect(await kindOf(devices.createFleet({ template: THERMOSTAT, count: 1, idPrefix: 'valve' }, () => 0))).toBe('Conflict');
    expect(await kindOf(devices.createFleet({ template: 'dtmi:unknown;1', count: 1, idPrefix: 'x' }, () => 0))).toBe('NotFound');
  });

  it('replaces a device on PUT of an existing id and checks etags', async () => {
    const { devices } = await deviceServices();
    const first = await devices.put('d1', { displayName: 'One', template: THERMOSTAT, simulated: true, enabled: false });
    const second = await devices.put('d1', { displayName: 'Uno' });
    expect(second).toMatchObject({ id: 'd1', displayName: 'Uno', enabled: true, simulated: false });
    expect(second.template).toBeUndefined();
    expect(second.etag).not.toBe(first.etag);
    expect(await kindOf(devices.update('d1', { displayName: 'x' }, first.etag))).toBe('PreconditionFailed');
    expect((await devices.update('d1', { displayName: 'x' }, second.etag)).displayName).toBe('x');
  });

  it('rejects invalid ids and references to missing templates or organizations', async () => {
    const { devices } = await deviceServices();
    expect(await kindOf(devices.put('bad id', {}))).toBe('InvalidInput');
    expect(await kindOf(devices.put('a'.repeat(129), {}))).toBe('InvalidInput');
    expect(await kindOf(devices.put('ok', { template: 'dtmi:missing;1' }))).toBe('InvalidInput');
    expect(await kindOf(devices.put('ok', { organizations: ['nowhere'] }))).toBe('InvalidInput');
    expect((await devices.put('a'.repeat(128), {})).id).toHaveLength(128);
  });
});
