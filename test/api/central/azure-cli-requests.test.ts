import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { rawRequest } from '../../helpers/raw-http.js';
import { expectMatchesSpec } from '../../helpers/spec.js';
import { CentralClient, THERMOSTAT_ID, THERMOSTAT_TEMPLATE, type Json } from './job-fixtures.js';

// The request shapes of Microsoft's Azure CLI (`az iot central`, extension azure-iot 0.23.1), replayed exactly.
const STABLE = '2022-07-31';
const JUNE_PREVIEW = '2022-06-30-preview';
const FLEET = 160;

interface PageBody {
  value: Json[];
  nextLink?: string;
}

/** What python-requests sends for `requests.get(url, params={"api-version": v})`: the parameter appended to any query. */
const withParams = (url: string, version: string) => `${url}${url.includes('?') ? '&' : '?'}api-version=${version}`;

describe("the Azure CLI's requests", () => {
  let host: TestHost;
  let central: CentralClient;

  /** Walks a list as the CLI's `_list_job` does: every page, nextLinks included, gets `api-version` appended again. */
  async function walkLikeTheCli(path: string, operationId: string, version = STABLE): Promise<{ ids: string[]; links: string[] }> {
    const ids: string[] = [];
    const links: string[] = [];
    let url: string | undefined = `${host.url}/api${path}`;
    while (url) {
      const res = await fetch(withParams(url, version), { headers: { authorization: host.token } });
      const page = (await res.json()) as PageBody;
      expect(res.status, JSON.stringify(page)).toBe(200);
      expectMatchesSpec(version, operationId, 200, page);
      ids.push(...page.value.map((item) => (item.id ?? item['@id']) as string));
      if (page.nextLink) links.push(page.nextLink);
      url = page.nextLink;
    }
    return { ids, links };
  }

  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1 });
    central = new CentralClient(host, STABLE);
    await central.expect(200, 'PUT', `/deviceTemplates/${THERMOSTAT_ID}`, THERMOSTAT_TEMPLATE);
    expect((await host.call('POST', '/_fleetlab/fleet', { template: THERMOSTAT_ID, count: FLEET, idPrefix: 'cli' })).status).toBe(201);
    await central.expect(200, 'PUT', '/deviceGroups/cli-fleet', { displayName: 'CLI fleet', filter: 'SELECT * FROM devices WHERE startswith($id, "cli-")' });
  });
  afterAll(() => host.stop());

  it('follows every nextLink of the jobs list with api-version appended again', async () => {
    const body = { group: 'cli-fleet', data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 20 }] };
    for (let i = 1; i <= 105; i++) await central.expect(200, 'PUT', `/jobs/cli-job-${i}`, body);
    const { ids, links } = await walkLikeTheCli('/jobs', 'Jobs_List');
    expect(new Set(ids)).toEqual(new Set(Array.from({ length: 105 }, (_, i) => `cli-job-${i + 1}`)));
    expect(links).toHaveLength(1);
    // Each parameter once in the link, so the CLI's own api-version is the only repeat.
    expect(new URL(links[0]!).searchParams.getAll('api-version')).toEqual([STABLE]);
  });

  it("follows every nextLink of a job's devices", async () => {
    await central.expect(200, 'PUT', '/jobs/cli-devices-job', { group: 'cli-fleet', data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 21 }] });
    await central.waitForJob('cli-devices-job');
    const { ids, links } = await walkLikeTheCli('/jobs/cli-devices-job/devices', 'Jobs_GetDevices');
    expect(ids).toEqual(Array.from({ length: FLEET }, (_, i) => `cli-${i + 1}`));
    expect(links).toHaveLength(1);
  });

  it('follows every nextLink of the devices list', async () => {
    const { ids, links } = await walkLikeTheCli('/devices', 'Devices_List');
    expect(ids).toEqual(Array.from({ length: FLEET }, (_, i) => `cli-${i + 1}`));
    expect(links).toHaveLength(1);
  });

  it('follows every nextLink of the device groups list', async () => {
    for (let i = 1; i <= 100; i++) await central.expect(200, 'PUT', `/deviceGroups/cli-group-${i}`, { displayName: `g${i}`, filter: 'SELECT * FROM devices' });
    const { ids, links } = await walkLikeTheCli('/deviceGroups', 'DeviceGroups_List');
    expect(ids).toHaveLength(101);
    expect(links).toHaveLength(1);
  });

  it('follows every nextLink of the device templates list', async () => {
    for (let i = 1; i <= 100; i++) await central.expect(200, 'PUT', `/deviceTemplates/dtmi:cli:t${i};1`, THERMOSTAT_TEMPLATE);
    const { ids, links } = await walkLikeTheCli('/deviceTemplates', 'DeviceTemplates_List');
    expect(ids).toHaveLength(101);
    expect(links).toHaveLength(1);
  });

  it('answers a repeated query parameter with another value with 400 naming it', async () => {
    const res = await host.call('GET', `/api/jobs?api-version=${STABLE}&api-version=2022-10-31-preview`);
    expect(res.status).toBe(400);
    const error = (await res.json()) as { error: Json };
    expect(error.error).toMatchObject({
      code: 'BadRequest',
      message: 'The query parameter "api-version" is given more than once with different values: "2022-07-31", "2022-10-31-preview".',
    });
    expectMatchesSpec(STABLE, 'Jobs_List', 400, error);
  });

  it('builds nextLink from the scheme and Host the client used, ignoring X-Forwarded-* without --trust-proxy', async () => {
    const port = new URL(host.url).port;
    const res = await rawRequest(`${host.url}/api/devices?api-version=${STABLE}`, {
      headers: { host: `localhost:${port}`, authorization: host.token, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' },
    });
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as PageBody).nextLink).toMatch(new RegExp(`^http://localhost:${port}/api/devices\\?api-version=${STABLE}&%24skiptoken=`));
  });

  it('names the proxy in nextLink with --trust-proxy', async () => {
    const proxied = await startTestHost({ simulatorThreads: 1, trustProxy: true });
    try {
      await new CentralClient(proxied, STABLE).expect(200, 'PUT', `/deviceTemplates/${THERMOSTAT_ID}`, THERMOSTAT_TEMPLATE);
      expect((await proxied.call('POST', '/_fleetlab/fleet', { template: THERMOSTAT_ID, count: 101, idPrefix: 'px' })).status).toBe(201);
      const res = await proxied.call('GET', `/api/devices?api-version=${STABLE}`, undefined, {
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'fleet.example.test',
      });
      expect(((await res.json()) as PageBody).nextLink).toMatch(/^https:\/\/fleet\.example\.test\/api\/devices\?/);
    } finally {
      await proxied.stop();
    }
  });

  describe(`api-version ${JUNE_PREVIEW}, validated against its own parameters`, () => {
    it('filters the devices list with $filter and pages it with $top, keeping both in nextLink', async () => {
      for (const id of ['kiosk-a', 'kiosk-b', 'kiosk-c']) {
        await central.expect(200, 'PUT', `/devices/${id}`, { displayName: `Kiosk ${id}`, template: THERMOSTAT_ID, simulated: true });
      }
      const filter = encodeURIComponent("contains(displayName, 'Kiosk')");
      const { ids, links } = await walkLikeTheCli(`/devices?$filter=${filter}&$top=2`, 'Devices_List', JUNE_PREVIEW);
      expect(ids).toEqual(['kiosk-a', 'kiosk-b', 'kiosk-c']);
      expect(links).toHaveLength(1);
      const next = new URL(links[0]!).searchParams;
      expect(next.get('$filter')).toBe("contains(displayName, 'Kiosk')");
      expect(next.get('$top')).toBe('2');
    });

    it('ignores the later preview spelling `filter`, which this version does not define', async () => {
      const res = await host.call('GET', `/api/devices?api-version=${JUNE_PREVIEW}&filter=${encodeURIComponent("displayName eq 'none'")}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as PageBody).value.length).toBeGreaterThan(0);
    });

    it('answers a $top outside 1..100 with 400 naming $top', async () => {
      const res = await host.call('GET', `/api/devices?api-version=${JUNE_PREVIEW}&$top=500`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: Json }).error.message).toBe('"$top" must be an integer from 1 to 100, got "500".');
    });

    it('answers an operation that only 2022-10-31-preview defines with 404', async () => {
      const res = await host.call('GET', `/api/deploymentManifests?api-version=${JUNE_PREVIEW}`);
      expect(res.status).toBe(404);
    });
  });

  it('creates a job whose cancellationThreshold.batch is the string "false", as the CLI sends it', async () => {
    const body = {
      displayName: 'cli-threshold',
      group: 'cli-fleet',
      data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 22 }],
      batch: { value: 10, type: 'number' },
      cancellationThreshold: { value: 10, type: 'number', batch: 'false' },
    };
    const job = await central.expect(200, 'PUT', '/jobs/cli-threshold', body);
    expect(job.cancellationThreshold).toEqual({ value: 10, type: 'number', batch: false });
    expectMatchesSpec(STABLE, 'Jobs_Create', 200, job);
    const yes = await central.expect(200, 'PUT', '/jobs/cli-threshold-batch', { ...body, cancellationThreshold: { value: 10, type: 'number', batch: 'true' } });
    expect(yes.cancellationThreshold).toMatchObject({ batch: true });
  });

  it('still refuses a cancellationThreshold.batch string other than "true" or "false"', async () => {
    const error = await central.expect<{ error: Json }>(422, 'PUT', '/jobs/cli-threshold-bad', {
      group: 'cli-fleet',
      data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 22 }],
      cancellationThreshold: { value: 10, type: 'number', batch: 'no' },
    });
    expect(error.error.message).toBe('cancellationThreshold.batch: must be a boolean');
  });
});
