import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { CentralClient, HOWTO_GROUP, seedThermostats, THERMOSTAT_ID, type Json } from './job-fixtures.js';

/** Every implemented operation whose spec declares If-Match (the preview's *_Update operations), with a resource to patch. */
const UPDATES: { operation: string; path: string }[] = [
  { operation: 'Devices_Update', path: '/devices/therm-01' },
  { operation: 'DeviceGroups_Update', path: `/deviceGroups/${HOWTO_GROUP}` },
  { operation: 'DeviceTemplates_Update', path: `/deviceTemplates/${THERMOSTAT_ID}` },
];

describe('If-Match on the writes whose spec declares it (api-version 2022-10-31-preview)', () => {
  let host: TestHost;
  let central: CentralClient;
  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1 });
    central = new CentralClient(host, '2022-10-31-preview');
    await seedThermostats(central, ['therm-01']);
    await central.expect(200, 'PUT', '/organizations/acme', { displayName: 'Acme' });
  });
  afterAll(() => host.stop());

  it.each(UPDATES)('$operation: a stale etag is refused with 412, the current one (quoted or not) is applied', async ({ path }) => {
    const before = await central.expect<Json>(200, 'GET', path);
    const etag = before.etag as string;
    const first = await central.expect<Json>(200, 'PATCH', path, { displayName: 'First' }, { 'if-match': `"${etag}"` });
    expect(first).toMatchObject({ displayName: 'First' });
    expect(first.etag).not.toBe(etag);
    await central.expect(412, 'PATCH', path, { displayName: 'Stale' }, { 'if-match': etag });
    expect(await central.expect<Json>(200, 'GET', path)).toMatchObject({ displayName: 'First', etag: first.etag });
    await central.expect(200, 'PATCH', path, { displayName: 'Second' }, { 'if-match': `"old", ${first.etag as string}` });
    await central.expect(200, 'PATCH', path, { displayName: 'Any' }, { 'if-match': '*' });
  });

  it('Organizations_Update: an organization has no etag, so only * matches', async () => {
    await central.expect(412, 'PATCH', '/organizations/acme', { displayName: 'Stale' }, { 'if-match': '"abc"' });
    expect(await central.expect<Json>(200, 'GET', '/organizations/acme')).toMatchObject({ displayName: 'Acme' });
    await central.expect(200, 'PATCH', '/organizations/acme', { displayName: 'Acme Corp' }, { 'if-match': '*' });
    expect(await central.expect<Json>(200, 'GET', '/organizations/acme')).toMatchObject({ displayName: 'Acme Corp' });
  });
});
