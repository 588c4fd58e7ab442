import { describe, expect, it, vi } from 'vitest';
import { FleetIndex } from '../../electron/domain/devices/fleet-index.js';
import { DomainError } from '../../electron/domain/errors.js';
import { memoryStore } from '../../electron/domain/persisted.js';
import { StorageError } from '../../electron/store/storage-error.js';
import type { Change, Durability } from '../../electron/store/store.js';
import { THERMOSTAT, deviceServices } from './devices-fixtures.js';

const KEY = Buffer.alloc(32, 7).toString('base64');

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
    expect(store.get('fleets')).toHaveLength(1);
    expect(store.repository('devices').size).toBe(0);
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

  it('deletes a device with its twin, attestation and relationships in one commit', async () => {
    const lines: string[] = [];
    const journal: Durability = { append: async (line) => void lines.push(line), rewrite: async () => {}, wantsCompaction: () => false, close: async () => {} };
    const { devices, twins, attestations, relationships, store } = await deviceServices({ store: memoryStore(journal) });
    await devices.createFleet({ template: THERMOSTAT, count: 3, idPrefix: 'f' }, () => 0);
    await devices.put('gateway', { template: THERMOSTAT, simulated: true });
    await twins.writeProperties('f-2', { CustomerName: 'Contoso' });
    await attestations.put('f-2', { type: 'symmetricKey', symmetricKey: { primaryKey: KEY, secondaryKey: KEY } });
    await relationships.put('f-2', 'uplink', { target: 'gateway' });
    lines.length = 0;
    await devices.remove('f-2');
    expect(lines.map((line) => JSON.parse(line) as Change[])).toEqual([
      [
        { op: 'delete', collection: 'deviceTwins', id: 'f-2' },
        { op: 'delete', collection: 'deviceAttestations', id: 'f-2' },
        { op: 'delete', collection: 'deviceRelationships', id: 'f-2' },
        { op: 'put', collection: 'deletedFleetDevices', id: 'f-2', record: { id: 'f-2' } },
      ],
    ]);
    expect(devices.find('f-2')).toBeUndefined();
    expect(store.repository('deviceTwins').has('f-2')).toBe(false);
    expect(devices.count()).toBe(3);
  });

  it('refuses a device or a fleet that would take the total above --max-devices', async () => {
    const { devices } = await deviceServices({ maxDevices: 12 });
    await devices.createFleet({ template: THERMOSTAT, count: 10, idPrefix: 'f' }, () => 0);
    await expect(devices.createFleet({ template: THERMOSTAT, count: 5, idPrefix: 'g' }, () => 0)).rejects.toMatchObject({
      kind: 'InvalidInput',
      message: 'Fleetlab holds at most 12 devices (--max-devices); this fleet of 5 would make 15.',
    });
    await devices.put('a', {});
    await devices.put('b', {});
    await devices.put('a', { displayName: 'replacing an existing device adds none' });
    await expect(devices.put('c', {})).rejects.toMatchObject({
      kind: 'InvalidInput',
      message: 'Fleetlab holds at most 12 devices (--max-devices); one more device would make 13.',
    });
    await devices.remove('f-1');
    await devices.put('c', {});
    expect(devices.count()).toBe(12);
  });

  it('holds 10,000,000 devices unless told otherwise', async () => {
    const { devices } = await deviceServices();
    await devices.createFleet({ template: THERMOSTAT, count: 7_000_000, idPrefix: 'big' }, () => 0);
    await expect(devices.createFleet({ template: THERMOSTAT, count: 5_000_000, idPrefix: 'more' }, () => 0)).rejects.toThrow(
      'Fleetlab holds at most 10000000 devices (--max-devices); this fleet of 5000000 would make 12000000.',
    );
  });

  it('keeps the fleet index current on each write instead of rebuilding it', async () => {
    const { devices } = await deviceServices();
    await devices.createFleet({ template: THERMOSTAT, count: 1_000_000, idPrefix: 'therm' }, () => 0);
    const rebuild = vi.spyOn(FleetIndex.prototype as unknown as { rebuild(): void }, 'rebuild');
    try {
      for (let i = 0; i < 20_000; i++) await devices.put(`solo-${i}`, { template: THERMOSTAT });
      for (let n = 1; n <= 100; n++) await devices.remove(`therm-${n}`);
      await devices.update('therm-500', { displayName: 'Edited' });
      await devices.remove('solo-7');
      expect(rebuild).not.toHaveBeenCalled();
    } finally {
      rebuild.mockRestore();
    }
    expect(devices.count()).toBe(20_000 - 1 + 1_000_000 - 100);
    expect(devices.find('solo-19999')?.id).toBe('solo-19999');
    expect(devices.positionOf('solo-8')).toBe(7);
    expect(devices.positionOf('therm-101')).toBe(19_999);
    expect(devices.page(19_998, 20_001).map((d) => d.id)).toEqual(['solo-19999', 'therm-101', 'therm-102']);
    expect(devices.get('therm-500').displayName).toBe('Edited');
  });

  it('rebuilds what it derived when the store is replaced by a reset or a snapshot import', async () => {
    const { devices, groups, store } = await deviceServices();
    await devices.createFleet({ template: THERMOSTAT, count: 10, idPrefix: 'f' }, () => 0);
    await groups.put('all', { displayName: 'all', filter: 'SELECT * FROM devices' });
    expect(groups.resolveGroup('all').total).toBe(10);
    const snapshot = store.state();
    snapshot.singletons.set('fleets', [{ prefix: 'g', first: 1, count: 4, template: THERMOSTAT, simulated: true }]);
    snapshot.collections.set('deletedFleetDevices', new Map([['g-2', { id: 'g-2' }]]));
    await store.replace(snapshot);
    expect(devices.count()).toBe(3);
    expect(devices.find('f-1')).toBeUndefined();
    expect(devices.page(0, 10).map((d) => d.id)).toEqual(['g-1', 'g-3', 'g-4']);
    expect(groups.resolveGroup('all').total).toBe(3);
  });

  it('changes nothing when the disk refuses the write', async () => {
    let full = false;
    const durability: Durability = {
      append: async () => {
        if (full) throw new StorageError('full', 'the disk is full');
      },
      rewrite: async () => {},
      wantsCompaction: () => false,
      close: async () => {},
    };
    const { devices } = await deviceServices({ store: memoryStore(durability) });
    await devices.createFleet({ template: THERMOSTAT, count: 5, idPrefix: 'f' }, () => 0);
    full = true;
    await expect(devices.remove('f-3')).rejects.toBeInstanceOf(StorageError);
    await expect(devices.put('solo', {})).rejects.toBeInstanceOf(StorageError);
    expect(devices.count()).toBe(5);
    expect(devices.find('f-3')).toBeDefined();
    expect(devices.find('solo')).toBeUndefined();
  });

  it('keeps every one of concurrent writes that read and rewrite the same state', async () => {
    const { devices, twins, relationships } = await deviceServices();
    await devices.put('gateway', {});
    await devices.put('sensor', {});
    await Promise.all([
      devices.createFleet({ template: THERMOSTAT, count: 3, idPrefix: 'a' }, () => 0),
      devices.createFleet({ template: THERMOSTAT, count: 3, idPrefix: 'b' }, () => 0),
      twins.writeProperties('sensor', { one: 1 }),
      twins.writeProperties('sensor', { two: 2 }),
      relationships.put('gateway', 'r1', { target: 'sensor' }),
      relationships.put('gateway', 'r2', { target: 'sensor' }),
    ]);
    expect(devices.fleets().map((fleet) => fleet.prefix)).toEqual(['a', 'b']);
    expect(twins.properties('sensor').map((property) => [property.name, property.state?.desired?.value])).toEqual([['one', 1], ['two', 2]]);
    expect(relationships.list('gateway').map((r) => r.id)).toEqual(['r1', 'r2']);
  });
});
