import { describe, expect, it } from 'vitest';
import { DEFAULT_BEHAVIOR } from '../../electron/store/records.js';
import { THERMOSTAT, THERMOSTAT_MODEL, deviceServices } from './devices-fixtures.js';

const OTHER = 'dtmi:contoso:pump;1';

async function fleetWithGroups() {
  const services = await deviceServices();
  await services.templates.put(OTHER, { types: ['ModelDefinition'], capabilityModel: THERMOSTAT_MODEL });
  await services.devices.createFleet({ template: THERMOSTAT, count: 1_000_000, idPrefix: 'therm' }, () => 0);
  await services.devices.createFleet({ template: OTHER, count: 10, idPrefix: 'pump' }, () => 0);
  return services;
}

describe('device groups', () => {
  it('resolves a group over a 1M-device fleet to one range slice', async () => {
    const { groups } = await fleetWithGroups();
    await groups.put('thermostats', { displayName: 'T', filter: `SELECT * FROM devices WHERE $template = "${THERMOSTAT}" AND $simulated = true` });
    expect(groups.resolveGroup('thermostats')).toEqual({ slices: [{ prefix: 'therm', first: 1, count: 1_000_000 }], total: 1_000_000 });
  });

  it('splits a range around deleted and edited members and keeps the listing order', async () => {
    const { groups, devices } = await fleetWithGroups();
    await devices.put('solo', { template: OTHER, simulated: true });
    await devices.remove('pump-3');
    await devices.update('pump-6', { template: THERMOSTAT });
    await groups.put('pumps', { displayName: 'P', filter: `SELECT * FROM devices WHERE $template = "${OTHER}"` });
    expect(groups.resolveGroup('pumps')).toEqual({
      slices: [
        { ids: ['solo'] },
        { prefix: 'pump', first: 1, count: 2 },
        { prefix: 'pump', first: 4, count: 2 },
        { prefix: 'pump', first: 7, count: 4 },
      ],
      total: 9,
    });
    expect(groups.members('pumps', 0, 4).page.map((d) => d.id)).toEqual(['solo', 'pump-1', 'pump-2', 'pump-4']);
    await groups.put('moved', { displayName: 'M', filter: `SELECT * FROM devices WHERE $template = "${THERMOSTAT}" AND startswith($id, "pump")` });
    expect(groups.resolveGroup('moved').slices).toEqual([{ prefix: 'pump', first: 6, count: 1 }]);
  });

  it('resolves a group again once its devices change', async () => {
    const { groups, devices, listing } = await fleetWithGroups();
    await groups.put('pumps', { displayName: 'P', filter: `SELECT * FROM devices WHERE $template = "${OTHER}"` });
    expect(groups.resolveGroup('pumps').total).toBe(10);
    expect(listing.select({ filter: `template eq '${OTHER}'` }).total).toBe(10);
    await devices.remove('pump-5');
    expect(groups.resolveGroup('pumps').total).toBe(9);
    expect(listing.select({ filter: `template eq '${OTHER}'` }).total).toBe(9);
    await devices.put('solo', { template: OTHER });
    expect(groups.resolveGroup('pumps').slices[0]).toEqual({ ids: ['solo'] });
  });

  it('filters on per-device ids and on property values written to devices', async () => {
    const { groups, twins } = await fleetWithGroups();
    await groups.put('some', { displayName: 'S', filter: 'SELECT * FROM devices WHERE $id IN ["pump-2", "pump-9"] OR contains($displayName, "therm-99999")' });
    const { slices, total } = groups.resolveGroup('some');
    expect(total).toBe(13);
    expect(slices[0]).toEqual({ prefix: 'therm', first: 99999, count: 1 });
    await twins.writeProperties('pump-4', { targetTemperature: 30 });
    await groups.put('hot', { displayName: 'H', filter: 'SELECT * FROM devices WHERE targetTemperature >= 25' });
    expect(groups.resolveGroup('hot')).toEqual({ slices: [{ prefix: 'pump', first: 4, count: 1 }], total: 1 });
  });

  it('rejects a filter with a syntax error or an unknown attribute', async () => {
    const { groups } = await deviceServices();
    await expect(groups.put('g', { displayName: 'g', filter: 'SELECT * FROM devices WHER $simulated = true' })).rejects.toThrow(
      'Unexpected token "WHER" at position 23; expected WHERE.',
    );
    await expect(groups.put('g', { displayName: 'g', filter: 'SELECT * FROM devices WHERE $color = "red"' })).rejects.toThrow(/unknown device attribute "\$color"/);
  });

  it('aligns behaviour profiles and explicit connectivity with the slice order', async () => {
    const { groups, behavior, devices } = await fleetWithGroups();
    await behavior.setTemplateBehavior(OTHER, { commandFailureRate: 0.5 });
    await behavior.setDeviceBehavior('pump-2', { latencyMs: { min: 1, max: 2 }, online: false });
    await devices.put('solo', { template: THERMOSTAT, simulated: true });
    await behavior.setDeviceBehavior('solo', { online: true });
    await groups.put('all', { displayName: 'all', filter: 'SELECT * FROM devices' });
    const { slices, total } = groups.resolveGroup('all');
    expect(total).toBe(1_000_011);
    const { profiles, profileIndex, connectivity } = behavior.behaviorFor(slices);
    expect(profiles).toEqual([
      DEFAULT_BEHAVIOR,
      { ...DEFAULT_BEHAVIOR, commandFailureRate: 0.5 },
      { ...DEFAULT_BEHAVIOR, commandFailureRate: 0.5, latencyMs: { min: 1, max: 2 } },
    ]);
    const pump = (n: number) => 1 + 1_000_000 + n - 1;
    expect([profileIndex![0], profileIndex![1], profileIndex![pump(1)], profileIndex![pump(2)], profileIndex![pump(3)]]).toEqual([0, 0, 1, 2, 1]);
    expect([connectivity![0], connectivity![1], connectivity![pump(2)], connectivity![pump(3)]]).toEqual([1, -1, 0, -1]);
  });

  it('gives one profile and no per-device arrays when nothing differs', async () => {
    const { behavior } = await fleetWithGroups();
    expect(behavior.behaviorFor([{ prefix: 'therm', first: 1, count: 1_000_000 }])).toEqual({ profiles: [DEFAULT_BEHAVIOR] });
  });
});
