import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { expectMatchesSpec } from '../../helpers/spec.js';
import { CentralClient, type Json } from './job-fixtures.js';
import { SENSOR_TEMPLATE, SENSOR_TEMPLATE_ID } from './sensor-template.js';

describe('Devices_List filter and orderby', () => {
  let host: TestHost;
  let preview: CentralClient;

  beforeAll(async () => {
    host = await startTestHost();
    preview = new CentralClient(host, '2022-10-31-preview');
    await preview.expect(200, 'PUT', `/deviceTemplates/${encodeURIComponent(SENSOR_TEMPLATE_ID)}`, SENSOR_TEMPLATE);
    await preview.expect(200, 'PUT', '/organizations/seattle', { displayName: 'Seattle' });
    await preview.expect(200, 'PUT', '/devices/t-1', { displayName: 'Thermostat B', template: SENSOR_TEMPLATE_ID, simulated: true });
    await preview.expect(200, 'PUT', '/devices/t-2', { displayName: 'Thermostat A', template: SENSOR_TEMPLATE_ID, organizations: ['seattle'] });
    await preview.expect(200, 'PUT', '/devices/t-3', { displayName: 'Thermostat C', enabled: false });
    await preview.expect(200, 'PUT', '/devices/pump-1', { displayName: 'Pump', template: SENSOR_TEMPLATE_ID, simulated: true });
    expect((await host.call('POST', '/_fleetlab/fleet', { template: SENSOR_TEMPLATE_ID, count: 5000, idPrefix: 'bulk' })).status).toBe(201);
  });
  afterAll(() => host.stop());

  async function ids(query: string): Promise<string[]> {
    const devices = await preview.walk<{ id: string }>(`/devices?${query}`);
    return devices.map((device) => device.id);
  }

  it('filters with the comparison and logic operators and the contains function of the how-to', async () => {
    expect(await ids(`filter=${encodeURIComponent("contains(displayName, 'Thermostat')")}`)).toEqual(['t-1', 't-2', 't-3']);
    expect(await ids(`filter=${encodeURIComponent("id eq 't-1' or scopes eq 'seattle'")}`)).toEqual(['t-1', 't-2']);
    expect(await ids(`filter=${encodeURIComponent('Enabled ne true')}`)).toEqual(['t-3']);
    expect(await ids(`filter=${encodeURIComponent("simulated eq false and (template eq 'dtmi:fleetlab:sensor;1' or enabled eq false)")}`)).toEqual(['t-2', 't-3']);
    expect(await ids(`filter=${encodeURIComponent("id ge 'bulk-4998' and id lt 'bulk-5'")}`)).toEqual(['bulk-4998', 'bulk-4999']);
    const page = await preview.expect<Json>(200, 'GET', `/devices?filter=${encodeURIComponent("template eq 'dtmi:fleetlab:sensor;1'")}&maxpagesize=100`);
    expectMatchesSpec('2022-10-31-preview', 'Devices_List', 200, page);
    expect(page.value).toHaveLength(100);
    expect(page.nextLink).toContain('filter=');
  });

  it('orders by displayName, ascending or descending, across pages', async () => {
    const filter = `filter=${encodeURIComponent("contains(displayName, 'Thermostat')")}`;
    expect(await ids(`${filter}&orderby=displayName&maxpagesize=2`)).toEqual(['t-2', 't-1', 't-3']);
    expect(await ids(`${filter}&orderby=${encodeURIComponent('displayName desc')}&maxpagesize=1`)).toEqual(['t-3', 't-1', 't-2']);
    const all = await ids('orderby=displayName&maxpagesize=100');
    expect(all).toHaveLength(5004);
    // Ordinal order: upper case sorts before lower case, and fleet members' names are their ids.
    expect(all.slice(0, 7)).toEqual(['pump-1', 't-2', 't-1', 't-3', 'bulk-1', 'bulk-10', 'bulk-100']);
  });

  it('answers a filter or orderby it cannot read with 400, and on the stable version', async () => {
    for (const query of ['filter=displayName%20%3D%20%27x%27', 'filter=colour%20eq%20%27red%27', 'filter=', "filter=contains(displayName%2C%20'x'", 'orderby=id', 'orderby=displayName%20sideways']) {
      const answer = await preview.expect<{ error: Json }>(400, 'GET', `/devices?${query}`);
      expectMatchesSpec('2022-10-31-preview', 'Devices_List', 400, answer);
    }
    const stable = new CentralClient(host, '2022-07-31');
    await stable.expect(400, 'GET', `/devices?filter=${encodeURIComponent("id eq 't-1'")}`);
  });
});
