import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { expectMatchesSpec } from '../../helpers/spec.js';
import { EXAMPLE_TEMPLATE_ID as TEMPLATE, VERSIONS, example, expectLikeExample, seedExampleApp } from './device-examples.js';

const device = (displayName: string, organizations?: string[]) => ({
  displayName,
  template: TEMPLATE,
  simulated: true,
  enabled: true,
  ...(organizations && { organizations }),
});

describe.each(VERSIONS)('devices (api-version %s)', (version) => {
  let host: TestHost;
  const api = (path: string) => `/api${path}${path.includes('?') ? '&' : '?'}api-version=${version}`;
  beforeAll(async () => {
    host = await startTestHost();
    await seedExampleApp(host, version);
  });
  afterAll(() => host.stop());

  it('replays Devices_Create, Devices_Get and Devices_Remove', async () => {
    const create = example(version, 'devices_create');
    const res = await host.call('PUT', api(`/devices/${create.parameters.deviceId}`), create.parameters.body);
    // Fleetlab's simulated devices are provisioned as soon as they exist (the example shows a device not yet connected).
    await expectLikeExample(res, { ...create, responses: { 200: { body: { ...(create.responses[200]!.body as object), provisioned: true } } } }, 'Devices_Create');

    const get = example(version, 'devices_get');
    await host.call('PUT', api(`/devices/${get.parameters.deviceId}`), device('CheckoutThermostat', ['seattle']));
    await expectLikeExample(await host.call('GET', api(`/devices/${get.parameters.deviceId}`)), get, 'Devices_Get');

    const remove = example(version, 'devices_delete');
    await expectLikeExample(await host.call('DELETE', api(`/devices/${remove.parameters.deviceId}`)), remove, 'Devices_Remove');
    expect((await host.call('GET', api(`/devices/${remove.parameters.deviceId}`))).status).toBe(404);
  });

  it('replaces an existing device on PUT with 200 and rejects a stale etag with 412', async () => {
    const first = (await (await host.call('PUT', api('/devices/replace-me'), device('First'))).json()) as { etag: string };
    const res = await host.call('PUT', api('/devices/replace-me'), { displayName: 'Second', template: TEMPLATE });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expectMatchesSpec(version, 'Devices_Create', 200, body);
    expect(body).toMatchObject({ id: 'replace-me', displayName: 'Second', simulated: false, provisioned: false });
    const stale = await host.call('PATCH', api('/devices/replace-me'), { displayName: 'Third', etag: first.etag });
    expect(stale.status).toBe(412);
    const patched = await host.call('PATCH', api('/devices/replace-me'), { displayName: 'Third' });
    expect(patched.status).toBe(200);
    expectMatchesSpec(version, 'Devices_Update', 200, await patched.json());
  });

  it('answers bad device input with a 4xx in the IoT Central error shape', async () => {
    for (const [path, body] of [
      ['/devices/bad%20id', device('x')],
      ['/devices/ok-id', { ...device('x'), template: 'dtmi:missing;1' }],
      ['/devices/ok-id', { ...device('x'), organizations: ['atlantis'] }],
      ['/devices/ok-id', { displayName: 42 }],
    ] as const) {
      const res = await host.call('PUT', api(path), body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(422);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UnprocessableEntity');
    }
    expect((await host.call('GET', api('/devices/nobody'))).status).toBe(404);
  });

  it('replays the property examples: component write, component read, nested update', async () => {
    await host.call('PUT', api('/devices/mx1'), device('mx1'));
    const set = example(version, 'devices_properties_components_set');
    await expectLikeExample(
      await host.call('PUT', api(`/devices/mx1/components/settings/properties`), set.parameters.body),
      set,
      'Devices_ReplaceComponentProperties',
    );
    const res = await host.call('GET', api('/devices/mx1/components/settings/properties'));
    expect(res.status).toBe(200);
    const read = (await res.json()) as Record<string, unknown> & { $metadata: Record<string, Record<string, unknown>> };
    expectMatchesSpec(version, 'Devices_GetComponentProperties', 200, read);
    expect(read).toMatchObject({ fanSpeed: 35, voltage: 5, current: 2, irSwitch: true });
    expect(read.$metadata.fanSpeed).toMatchObject({ desiredValue: 35, ackCode: 200, ackVersion: 1 });

    const update = example(version, 'devices_properties_update');
    await expectLikeExample(await host.call('PATCH', api('/devices/mx1/properties'), update.parameters.body), update, 'Devices_UpdateProperties');
    const all = (await (await host.call('GET', api('/devices/mx1/properties'))).json()) as Record<string, Record<string, unknown>>;
    expectMatchesSpec(version, 'Devices_GetProperties', 200, all);
    expect(all.settings).toMatchObject({ voltage: 25, current: 7, fanSpeed: 35 });
  });

  it('accepts "55" for a double property and rejects properties the template lacks', async () => {
    await host.call('PUT', api('/devices/props'), device('props'));
    const res = await host.call('PATCH', api('/devices/props/properties'), { targetTemperature: '55' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ $metadata: { targetTemperature: { desiredValue: 55 } } });
    const unknown = await host.call('PATCH', api('/devices/props/properties'), { colour: 'red' });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('no property "colour"');
  });

  it('replays the command examples and the component list', async () => {
    const send = example(version, 'devices_commands_send');
    const { deviceId, componentName, commandName } = send.parameters as Record<string, string>;
    await host.call('PUT', api(`/devices/${deviceId}`), device(deviceId!));
    const sent = await host.call('POST', api(`/devices/${deviceId}/components/${componentName}/commands/${commandName}`), send.parameters.body);
    const invocation = (await expectLikeExample(sent, send, 'Devices_RunComponentCommand')) as Record<string, unknown>;
    expect(invocation).toMatchObject({ request: { tempVal: 30 }, responseCode: 200 });

    const history = example(version, 'devices_commandshistory_get');
    const res = await host.call('GET', api(`/devices/${deviceId}/components/${componentName}/commands/${commandName}`));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { value: unknown[] };
    expectMatchesSpec(version, 'Devices_GetComponentCommandHistory', 200, body);
    expect(body.value).toEqual([invocation]);
    expect(Object.keys((history.responses[200]!.body as { value: object[] }).value[0]!).sort()).toEqual(Object.keys(invocation).sort());

    const unknown = await host.call('POST', api(`/devices/${deviceId}/commands/selfDestruct`), {});
    expect(unknown.status).toBe(404);

    const components = example(version, 'devices_components_get');
    const listed = (await (await host.call('GET', api(`/devices/${deviceId}/components`))).json()) as { value: { name: string }[] };
    expectMatchesSpec(version, 'Devices_ListComponents', 200, listed);
    const expectedNames = (components.responses[200]!.body as { value: { name: string }[] }).value.map((c) => c.name);
    expect(listed.value.map((c) => c.name)).toEqual(expect.arrayContaining(expectedNames));
    // Each component names the interface it implements, as DTDL's Component schema does.
    for (const component of listed.value) expect(component).toMatchObject({ '@type': ['Component'], '@id': expect.stringMatching(/^dtmi:/) });
  });

  it('fails a command to an offline device with the IoT Central message', async () => {
    await host.call('PUT', api('/devices/sleepy'), device('sleepy'));
    expect((await host.call('PUT', '/_fleetlab/devices/sleepy/behavior', { online: false })).status).toBe(200);
    const res = await host.call('POST', api('/devices/sleepy/components/Thermostat_1o/commands/CoolDown'), { request: { tempVal: 1 } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('Could not connect to device in order to send command.');
  });
});

describe.each(VERSIONS)('Devices_List (api-version %s)', (version) => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(() => host.stop());

  it('replays the list example', async () => {
    await seedExampleApp(host, version);
    const list = example(version, 'devices_list');
    for (const entry of (list.responses[200]!.body as { value: { id: string; organizations?: string[] }[] }).value) {
      await host.call('PUT', `/api/devices/${entry.id}?api-version=${version}`, device(entry.id, entry.organizations));
    }
    await expectLikeExample(await host.call('GET', `/api/devices?api-version=${version}`), list, 'Devices_List');
  });

  it('walks the nextLinks of a 1,000-device fleet visiting each device once', async () => {
    const res = await host.call('POST', '/_fleetlab/fleet', { template: TEMPLATE, count: 1000, idPrefix: 'walk' });
    expect(res.status).toBe(201);
    const seen: string[] = [];
    let next: string | undefined = `${host.url}/api/devices?api-version=${version}${version.endsWith('preview') ? '&maxpagesize=30' : ''}`;
    while (next) {
      const page = await host.call('GET', next.slice(host.url.length));
      expect(page.status).toBe(200);
      const body = (await page.json()) as { value: { id: string }[]; nextLink?: string };
      expectMatchesSpec(version, 'Devices_List', 200, body);
      seen.push(...body.value.map((d) => d.id));
      next = body.nextLink;
    }
    const walked = seen.filter((id) => id.startsWith('walk-'));
    expect(walked).toHaveLength(1000);
    expect(new Set(walked).size).toBe(1000);
    expect(walked[0]).toBe('walk-1');
    expect(walked.at(-1)).toBe('walk-1000');
  });
});
