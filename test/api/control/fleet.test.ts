import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { expectMatchesSpec } from '../../helpers/spec.js';
import { EXAMPLE_TEMPLATE } from '../central/device-examples.js';

const TEMPLATE = 'dtmi:contoso:fleet;1';
const error = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe('the /_fleetlab fleet and behaviour endpoints', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
    expect((await host.call('PUT', `/api/deviceTemplates/${TEMPLATE}?api-version=2022-07-31`, EXAMPLE_TEMPLATE)).status).toBe(200);
  });
  afterAll(() => host.stop());

  it('creates 1,000,000 simulated devices and serves their first page', async () => {
    const res = await host.call('POST', '/_fleetlab/fleet', { template: TEMPLATE, count: 1_000_000, idPrefix: 'sensor', simulated: true });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { count: number; firstId: string; lastId: string; durationMs: number };
    expect(body).toMatchObject({ count: 1_000_000, firstId: 'sensor-1', lastId: 'sensor-1000000' });
    expect(typeof body.durationMs).toBe('number');
    const page = await host.call('GET', '/api/devices?api-version=2022-10-31-preview&maxpagesize=5');
    const list = (await page.json()) as { value: { id: string }[]; nextLink?: string };
    expectMatchesSpec('2022-10-31-preview', 'Devices_List', 200, list);
    expect(list.value.map((d) => d.id)).toEqual(['sensor-1', 'sensor-2', 'sensor-3', 'sensor-4', 'sensor-5']);
    expect(list.nextLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/devices\?api-version=2022-10-31-preview&maxpagesize=5&%24skiptoken=/);
    const last = await host.call('GET', '/api/devices/sensor-1000000?api-version=2022-07-31');
    expect(await last.json()).toMatchObject({ id: 'sensor-1000000', template: TEMPLATE, simulated: true, provisioned: true });
  });

  it('answers 409 when any id collides and 404 for an unknown template', async () => {
    await host.call('PUT', '/api/devices/clash-3?api-version=2022-07-31', { displayName: 'c' });
    const collision = await host.call('POST', '/_fleetlab/fleet', { template: TEMPLATE, count: 5, idPrefix: 'clash' });
    expect(collision.status).toBe(409);
    expect((await error(collision)).code).toBe('Conflict');
    const unknown = await host.call('POST', '/_fleetlab/fleet', { template: 'dtmi:nope;1', count: 5, idPrefix: 'n' });
    expect(unknown.status).toBe(404);
  });

  it.each([
    [{ template: TEMPLATE, count: 0, idPrefix: 'x' }, 'count: must be >= 1.'],
    [{ template: TEMPLATE, count: '5', idPrefix: 'x' }, 'count: must be integer.'],
    [{ template: TEMPLATE, idPrefix: 'x' }, 'count: is required.'],
    [{ template: TEMPLATE, count: 5, idPrefix: 'bad prefix' }, 'idPrefix: must match pattern "^[a-zA-Z0-9-]+$".'],
    [{ template: TEMPLATE, count: 5, idPrefix: 'x', colour: 'red' }, 'colour: is not a known field.'],
  ])('answers %j with 422 naming the field', async (body, message) => {
    const res = await host.call('POST', '/_fleetlab/fleet', body);
    expect(res.status).toBe(422);
    expect(await error(res)).toMatchObject({ code: 'UnprocessableEntity', message });
  });

  it('stores template and device behaviour and reports the effective profile', async () => {
    await host.call('POST', '/_fleetlab/fleet', { template: TEMPLATE, count: 3, idPrefix: 'beh' });
    const template = await host.call('PUT', `/_fleetlab/templates/${TEMPLATE}/behavior`, { propertyFailureRate: 0.25, latencyMs: { min: 10, max: 20 } });
    expect(template.status).toBe(200);
    expect(await template.json()).toMatchObject({ behavior: { propertyFailureRate: 0.25 }, effective: { propertyFailureRate: 0.25, commandFailureRate: 0 } });
    const device = await host.call('PUT', '/_fleetlab/devices/beh-2/behavior', { commandFailureRate: 1, online: false });
    expect(await device.json()).toMatchObject({ online: false, effective: { propertyFailureRate: 0.25, commandFailureRate: 1, latencyMs: { min: 10, max: 20 } } });
    expect(await (await host.call('GET', '/_fleetlab/devices/beh-2/behavior')).json()).toMatchObject({ online: false, behavior: { commandFailureRate: 1 } });
    const cleared = await host.call('PUT', '/_fleetlab/devices/beh-2/behavior', { online: null });
    expect(await cleared.json()).toMatchObject({ online: null, behavior: {} });
  });

  it.each([
    [{ offlineRate: 1.5 }, 'offlineRate: must be <= 1.'],
    [{ latencyMs: { min: 5 } }, 'latencyMs.max: is required.'],
    [{ latencyMs: { min: 50, max: 5 } }, 'latencyMs.min (50) must not exceed latencyMs.max (5).'],
    [{ online: 'yes' }, 'online: must be boolean,null.'],
  ])('rejects device behaviour %j with 422', async (body, message) => {
    const res = await host.call('PUT', '/_fleetlab/devices/sensor-1/behavior', body);
    expect(res.status).toBe(422);
    expect((await error(res)).message).toBe(message);
  });
});
