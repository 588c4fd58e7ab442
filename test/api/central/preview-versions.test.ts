import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { CentralClient, THERMOSTAT_ID, THERMOSTAT_TEMPLATE, type Json } from './job-fixtures.js';

// 1.2-preview, 1.1-preview and preview are validated against 2022-10-31-preview; each answers in its own terms where
// Microsoft's file for it differs (docs/compat.md, "api-versions without their own file").
const FLEET = 105;
const KIOSKS = ['kiosk-a', 'kiosk-b', 'kiosk-c'];
const GROUP = 'preview-thermostats';
const PROPERTY_JOB = { group: GROUP, data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 21 }] };

interface PageBody {
  value: Json[];
  nextLink?: string;
}

describe('api-versions validated against the nearest file', () => {
  let host: TestHost;
  let setup: CentralClient;

  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1 });
    setup = new CentralClient(host, '2022-10-31-preview');
    await setup.expect(200, 'PUT', `/deviceTemplates/${THERMOSTAT_ID}`, THERMOSTAT_TEMPLATE);
    for (const id of KIOSKS) await setup.expect(200, 'PUT', `/devices/${id}`, { displayName: `Kiosk ${id}`, template: THERMOSTAT_ID, simulated: true });
    expect((await host.call('POST', '/_fleetlab/fleet', { template: THERMOSTAT_ID, count: FLEET, idPrefix: 'pv' })).status).toBe(201);
    await setup.expect(200, 'PUT', `/deviceGroups/${GROUP}`, { displayName: 'Kiosks', filter: 'SELECT * FROM devices WHERE startswith($id, "kiosk-")' });
    await setup.expect(200, 'PUT', '/devices/kiosk-a/relationships/kiosk-link', { target: 'kiosk-b' });
    for (const id of ['org-north', 'org-south']) await setup.expect(200, 'PUT', `/organizations/${id}`, { displayName: id });
  });
  afterAll(() => host.stop());

  async function page(client: CentralClient, path: string): Promise<PageBody> {
    return client.expect<PageBody>(200, 'GET', path);
  }

  async function expectAbsent(client: CentralClient, method: string, path: string, operationId: string, body?: unknown): Promise<void> {
    const error = await client.expect<{ error: Json }>(404, method, path, body);
    expect(error.error).toMatchObject({ code: 'NotFound', message: `${operationId} is not part of IoT Central API version ${client.version}.` });
  }

  async function expectJobTypeRefused(client: CentralClient, jobId: string, data: Json): Promise<void> {
    const error = await client.expect<{ error: Json }>(422, 'PUT', `/jobs/${jobId}`, { group: GROUP, data: [data] });
    expect(error.error.message).toBe(`data[0].type: "${String(data.type)}" is not part of IoT Central API version ${client.version}.`);
    await client.expect(404, 'GET', `/jobs/${jobId}`);
  }

  async function expectSingleOrganization(client: CentralClient): Promise<void> {
    const organizations = ['org-north', 'org-south'];
    const message = `organizations: must have at most 1 item in IoT Central API version ${client.version}.`;
    const device = await client.expect<{ error: Json }>(422, 'PUT', '/devices/two-orgs', { template: THERMOSTAT_ID, organizations });
    expect(device.error.message).toBe(message);
    const patch = await client.expect<{ error: Json }>(422, 'PATCH', '/devices/kiosk-c', { organizations });
    expect(patch.error.message).toBe(message);
    await client.expect(200, 'PUT', '/devices/one-org', { template: THERMOSTAT_ID, organizations: ['org-north'] });
  }

  async function expectJobCreatedAndListed(client: CentralClient, jobId: string): Promise<void> {
    const created = await client.expect(200, 'PUT', `/jobs/${jobId}`, PROPERTY_JOB);
    expect(created).toMatchObject({ id: jobId, ...PROPERTY_JOB, status: 'pending' });
    const listed = await client.walk('/jobs');
    expect(listed.find((job) => job.id === jobId)).toMatchObject({ id: jobId, group: GROUP });
    expect(await client.waitForJob(jobId)).toMatchObject({ status: 'complete' });
  }

  describe('1.2-preview', () => {
    let client: CentralClient;
    beforeAll(() => {
      client = new CentralClient(host, '1.2-preview');
    });

    it('filters, orders and pages the devices list with $filter, $orderby and $top, keeping them in nextLink', async () => {
      const kiosks = encodeURIComponent("contains(displayName, 'Kiosk')");
      const first = await page(client, `/devices?$filter=${kiosks}&$orderby=${encodeURIComponent('displayName desc')}&$top=2`);
      expect(first.value.map((device) => device.id)).toEqual(['kiosk-c', 'kiosk-b']);
      const next = new URL(first.nextLink!).searchParams;
      expect([next.get('$filter'), next.get('$orderby'), next.get('$top')]).toEqual(["contains(displayName, 'Kiosk')", 'displayName desc', '2']);
      const rest = await host.call('GET', first.nextLink!.slice(host.url.length));
      expect(((await rest.json()) as PageBody).value.map((device) => device.id)).toEqual(['kiosk-a']);
    });

    it('accepts a $top above 100, which its file does not bound, and serves pages of 100', async () => {
      const body = await page(client, '/devices?$top=500');
      expect(body.value).toHaveLength(100);
      expect(new URL(body.nextLink!).searchParams.get('$top')).toBe('500');
    });

    it('answers a $top below 1 with 400 naming $top', async () => {
      const error = await client.expect<{ error: Json }>(400, 'GET', '/devices?$top=0');
      expect(error.error.message).toBe('"$top" must be an integer of at least 1, got "0".');
    });

    it('pages the device templates list with $top', async () => {
      const body = await page(client, '/deviceTemplates?$top=1');
      expect(body.value).toHaveLength(1);
    });

    it('ignores the later spellings filter, maxpagesize and expand, and unmodeled, which it does not define', async () => {
      const unfiltered = await page(client, `/devices?filter=${encodeURIComponent("displayName eq 'none'")}&maxpagesize=0&expand=${encodeURIComponent('not valid!')}`);
      expect(unfiltered.value).toHaveLength(100);
      expect((await page(client, '/jobs?maxpagesize=0')).value).toBeDefined();
      await client.expect(200, 'GET', '/devices/kiosk-a/properties?unmodeled=perhaps');
    });

    it('lists relationships at /devices/{deviceId}/relationships/, the path its file gives', async () => {
      const body = await page(client, '/devices/kiosk-a/relationships/');
      expect(body.value).toMatchObject([{ id: 'kiosk-link', source: 'kiosk-a', target: 'kiosk-b' }]);
      await setup.expect(404, 'GET', '/devices/kiosk-a/relationships/');
    });

    it('answers 404 for scheduled jobs, group members and deployment manifests, which it does not define', async () => {
      await expectAbsent(client, 'GET', '/scheduledJobs', 'ScheduledJobs_List');
      await expectAbsent(client, 'PUT', '/scheduledJobs/weekly', 'ScheduledJobs_Create', { ...PROPERTY_JOB, schedule: { start: '2099-01-01T00:00:00Z' } });
      await expectAbsent(client, 'GET', `/deviceGroups/${GROUP}/devices`, 'DeviceGroups_GetDevices');
      await expectAbsent(client, 'POST', '/devices/kiosk-a/applyDeploymentManifest', 'Devices_ApplyManifest', { id: 'manifest' });
    });

    it('refuses a deviceManifestMigration job with 422', async () => {
      await expectJobTypeRefused(client, 'v12-manifest', { type: 'deviceManifestMigration', manifest: 'edge-manifest' });
    });

    it('refuses a device in two organizations with 422', async () => {
      await expectSingleOrganization(client);
      const group = await client.expect<{ error: Json }>(422, 'PUT', '/deviceGroups/two-orgs', { displayName: 'g', filter: 'SELECT * FROM devices', organizations: ['org-north', 'org-south'] });
      expect(group.error.message).toBe('organizations: must have at most 1 item in IoT Central API version 1.2-preview.');
    });

    it('creates a job and lists it', async () => {
      await expectJobCreatedAndListed(client, 'v12-job');
    });
  });

  describe.each(['1.1-preview', 'preview'])('%s (the 1.1-preview contract)', (version) => {
    let client: CentralClient;
    const jobPrefix = version.replace('.', '');
    beforeAll(() => {
      client = new CentralClient(host, version);
    });

    it('ignores $filter, filter and maxpagesize on the devices list, which has no list options', async () => {
      const kiosks = encodeURIComponent("contains(displayName, 'Kiosk')");
      const body = await page(client, `/devices?$filter=${kiosks}&filter=${kiosks}&maxpagesize=2`);
      expect(body.value).toHaveLength(100);
      expect(body.value.some((device) => device.id === 'pv-1')).toBe(true);
    });

    it('lists device groups, but answers 404 for every other device group operation', async () => {
      expect((await page(client, '/deviceGroups')).value.map((group) => group.id)).toContain(GROUP);
      await expectAbsent(client, 'GET', `/deviceGroups/${GROUP}`, 'DeviceGroups_Get');
      await expectAbsent(client, 'PUT', '/deviceGroups/new-group', 'DeviceGroups_Create', { displayName: 'New', filter: 'SELECT * FROM devices' });
      await expectAbsent(client, 'DELETE', `/deviceGroups/${GROUP}`, 'DeviceGroups_Remove');
      await expectAbsent(client, 'GET', `/deviceGroups/${GROUP}/devices`, 'DeviceGroups_GetDevices');
      await setup.expect(200, 'GET', `/deviceGroups/${GROUP}`);
    });

    it('answers 404 for relationships and scheduled jobs, which it does not define', async () => {
      await expectAbsent(client, 'GET', '/devices/kiosk-a/relationships', 'Devices_ListRelationships');
      await expectAbsent(client, 'GET', '/devices/kiosk-a/relationships/kiosk-link', 'Devices_GetRelationship');
      await expectAbsent(client, 'GET', '/scheduledJobs', 'ScheduledJobs_List');
    });

    it('refuses deviceTemplateMigration and deviceManifestMigration jobs with 422', async () => {
      await expectJobTypeRefused(client, `${jobPrefix}-migrate`, { type: 'deviceTemplateMigration', template: THERMOSTAT_ID });
      await expectJobTypeRefused(client, `${jobPrefix}-migrate-named`, { type: 'DeviceTemplateMigrationJobData', template: THERMOSTAT_ID });
      await expectJobTypeRefused(client, `${jobPrefix}-manifest`, { type: 'deviceManifestMigration', manifest: 'edge-manifest' });
    });

    it('ignores unmodeled, which it does not define', async () => {
      await client.expect(200, 'GET', '/devices/kiosk-a/properties?unmodeled=perhaps');
    });

    it('refuses a device in two organizations with 422', async () => {
      await expectSingleOrganization(client);
    });

    it('creates a job and lists it', async () => {
      await expectJobCreatedAndListed(client, `${jobPrefix}-job`);
    });
  });
});
