import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { EXAMPLE_TEMPLATE } from '../central/device-examples.js';

const TEMPLATE = 'dtmi:contoso:views;1';

interface DevicePage {
  total: number;
  offset: number;
  devices: { id: string; displayName: string; online: boolean | null; behaviorOverridden: boolean }[];
}

describe('the fleet views the UI reads from /_fleetlab', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
    await host.call('PUT', `/api/deviceTemplates/${TEMPLATE}?api-version=2022-07-31`, EXAMPLE_TEMPLATE);
    await host.call('PUT', '/api/devices/solo?api-version=2022-07-31', { displayName: 'Solo', template: TEMPLATE });
    await host.call('POST', '/_fleetlab/fleet', { template: TEMPLATE, count: 1_000_000, idPrefix: 'meter' });
  });
  afterAll(() => host.stop());

  it('serves any page of a 1,000,000-device fleet by offset, with each device’s connectivity', async () => {
    await host.call('PUT', '/_fleetlab/devices/meter-500001/behavior', { online: false });
    const page = (await (await host.call('GET', '/_fleetlab/devices?offset=500000&limit=3')).json()) as DevicePage;
    expect(page.total).toBe(1_000_001);
    expect(page.devices.map((device) => [device.id, device.online])).toEqual([
      ['meter-500000', null],
      ['meter-500001', false],
      ['meter-500002', null],
    ]);
    const last = (await (await host.call('GET', '/_fleetlab/devices?offset=999999&limit=100')).json()) as DevicePage;
    expect(last.devices.map((device) => device.id)).toEqual(['meter-999999', 'meter-1000000']);
  });

  it('searches a 1,000,000-device fleet by id prefix and by name, and filters by template, connection and simulated', async () => {
    const search = async (query: string) => (await (await host.call('GET', `/_fleetlab/devices?${query}`)).json()) as DevicePage & { matched: number };
    await host.call('PUT', '/_fleetlab/devices/meter-424201/behavior', { online: false });

    const prefix = await search('search=meter-4242&limit=3');
    // meter-4242, meter-42420…42429, meter-424200…424299
    expect(prefix.matched).toBe(111);
    expect(prefix.total).toBe(1_000_001);
    expect(prefix.devices.map((device) => device.id)).toEqual(['meter-4242', 'meter-42420', 'meter-42421']);
    expect((await search('search=meter-4242&offset=110&limit=5')).devices.map((device) => device.id)).toEqual(['meter-424299']);

    expect((await search('search=SO')).devices.map((device) => device.id)).toEqual(['solo']);
    await host.call('PATCH', `/api/devices/meter-7?api-version=2022-07-31`, { displayName: 'Pump seven' });
    expect((await search('search=pump')).devices.map((device) => [device.id, device.displayName])).toEqual([['meter-7', 'Pump seven']]);
    expect((await search('search=meter-7&limit=1')).devices.map((device) => device.id)).toEqual(['meter-7']);
    expect((await search('search=meter-0')).matched).toBe(0);
    expect((await search(`template=${encodeURIComponent(TEMPLATE)}&limit=1`)).matched).toBe(1_000_001);
    expect((await search('template=dtmi:none;1')).matched).toBe(0);
    expect((await search('simulated=false')).devices.map((device) => device.id)).toEqual(['solo']);

    const offline = await search('connection=offline');
    expect(offline.devices.map((device) => [device.id, device.online])).toEqual([['meter-500001', false], ['meter-424201', false]].sort());
    const offlineInPrefix = await search('connection=offline&search=meter-4242');
    expect(offlineInPrefix.devices.map((device) => device.id)).toEqual(['meter-424201']);
    // An edited member is counted once, in its place, by its own attributes.
    expect((await search('connection=profile&search=meter-4242')).matched).toBe(110);
  });

  it('lists the newest devices first on request', async () => {
    const newest = (await (await host.call('GET', '/_fleetlab/devices?order=newest&limit=2')).json()) as DevicePage;
    expect(newest.devices.map((device) => device.id)).toEqual(['meter-1000000', 'meter-999999']);
    const matchedNewest = (await (await host.call('GET', '/_fleetlab/devices?order=newest&search=meter-4242&limit=1')).json()) as DevicePage;
    expect(matchedNewest.devices.map((device) => device.id)).toEqual(['meter-424299']);
    const bad = await host.call('GET', '/_fleetlab/devices?connection=sometimes');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe('"connection" must be one of online, offline, profile, got "sometimes".');
  });

  it('answers a bad offset with 400 in words', async () => {
    const res = await host.call('GET', '/_fleetlab/devices?offset=-1');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      `"offset" must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}, got "-1".`,
    );
  });

  it('counts the devices a group filter would match, before the group exists', async () => {
    const all = await host.call('POST', '/_fleetlab/groups/preview', { filter: `SELECT * FROM devices WHERE $template = "${TEMPLATE}"` });
    expect(await all.json()).toEqual({ count: 1_000_001, sample: ['solo', 'meter-1', 'meter-2', 'meter-3', 'meter-4'] });
    const one = await host.call('POST', '/_fleetlab/groups/preview', { filter: 'SELECT * FROM devices WHERE $id = "meter-42"' });
    expect(await one.json()).toEqual({ count: 1, sample: ['meter-42'] });
  });

  it('explains a filter it cannot parse or that names an unknown attribute', async () => {
    const unknown = await host.call('POST', '/_fleetlab/groups/preview', { filter: 'SELECT * FROM devices WHERE $colour = "red"' });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('unknown device attribute "$colour"');
    const broken = await host.call('POST', '/_fleetlab/groups/preview', { filter: 'SELECT * FROM' });
    expect(broken.status).toBe(422);
  });
});

describe('the fleet summary on Home', () => {
  it('counts devices, hand-set connectivity, templates and groups', async () => {
    const host = await startTestHost();
    try {
      await host.call('PUT', `/api/deviceTemplates/${TEMPLATE}?api-version=2022-07-31`, EXAMPLE_TEMPLATE);
      await host.call('POST', '/_fleetlab/fleet', { template: TEMPLATE, count: 10, idPrefix: 'pump' });
      await host.call('PUT', '/api/devices/solo?api-version=2022-07-31', { displayName: 'Solo', template: TEMPLATE });
      await host.call('PUT', '/_fleetlab/devices/pump-3/behavior', { online: false });
      await host.call('PUT', '/_fleetlab/devices/solo/behavior', { online: false });
      await host.call('PUT', '/_fleetlab/devices/pump-4/behavior', { online: true });
      await host.call('PUT', '/api/deviceGroups/pumps?api-version=2022-07-31', { displayName: 'Pumps', filter: 'SELECT * FROM devices' });

      expect(await (await host.call('GET', '/_fleetlab/fleet/summary')).json()).toEqual({
        devices: 11,
        setOffline: 2,
        setOnline: 1,
        templates: 1,
        groups: 1,
        fleets: 1,
      });
    } finally {
      await host.stop();
    }
  });
});
