import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { expectMatchesSpec } from '../../helpers/spec.js';
import { EXAMPLE_TEMPLATE, VERSIONS, example, expectLikeExample } from './device-examples.js';

describe.each(VERSIONS)('device groups (api-version %s)', (version) => {
  let host: TestHost;
  const api = (path: string) => `/api${path}${path.includes('?') ? '&' : '?'}api-version=${version}`;
  beforeAll(async () => {
    host = await startTestHost();
    await host.call('PUT', api('/organizations/seattle'), { displayName: 'Seattle' });
    await host.call('PUT', api('/organizations/redmond'), { displayName: 'Redmond' });
    for (const template of ['dtmi:modelDefinition:dtdlv2', 'dtmi:contoso:testDeviceTemplate;1']) {
      expect((await host.call('PUT', api(`/deviceTemplates/${template}`), EXAMPLE_TEMPLATE)).status).toBe(200);
    }
  });
  afterAll(() => host.stop());

  it('replays DeviceGroups_Create, _Get, _Update and _Remove', async () => {
    const create = example(version, 'devicegroups_create');
    const created = await host.call('PUT', api(`/deviceGroups/${create.parameters.deviceGroupId}`), create.parameters.body);
    await expectLikeExample(created, create, 'DeviceGroups_Create');
    const get = example(version, 'devicegroups_get');
    await host.call('PUT', api(`/deviceGroups/${get.parameters.deviceGroupId}`), get.responses[200]!.body);
    await expectLikeExample(await host.call('GET', api(`/deviceGroups/${get.parameters.deviceGroupId}`)), get, 'DeviceGroups_Get');
    const update = example(version, 'devicegroups_update');
    await expectLikeExample(
      await host.call('PATCH', api(`/deviceGroups/${update.parameters.deviceGroupId}`), update.parameters.body),
      update,
      'DeviceGroups_Update',
    );
    const remove = example(version, 'devicegroups_delete');
    await host.call('PUT', api(`/deviceGroups/${remove.parameters.deviceGroupId}`), create.parameters.body);
    await expectLikeExample(await host.call('DELETE', api(`/deviceGroups/${remove.parameters.deviceGroupId}`)), remove, 'DeviceGroups_Remove');
    expect((await host.call('GET', api(`/deviceGroups/${remove.parameters.deviceGroupId}`))).status).toBe(404);
  });

  it('replays DeviceGroups_GetDevices on the example device', async () => {
    const members = example(version, 'devicegroups_getdevices');
    const expected = (members.responses[200]!.body as { value: Record<string, unknown>[] }).value[0]!;
    const { id, provisioned: _provisioned, ...device } = expected;
    await host.call('PUT', api(`/devices/${id as string}`), device);
    await host.call('PUT', api('/devices/not-simulated'), { ...device, simulated: false });
    await host.call('PUT', api(`/deviceGroups/${members.parameters.deviceGroupId}`), {
      displayName: 'Simulated thermostats',
      filter: `SELECT * FROM devices WHERE $template = "${device.template as string}" AND $simulated = true`,
    });
    await expectLikeExample(await host.call('GET', api(`/deviceGroups/${members.parameters.deviceGroupId}/devices`)), members, 'DeviceGroups_GetDevices');
  });

  it('pages the members of a group over a fleet through nextLinks', async () => {
    await host.call('POST', '/_fleetlab/fleet', { template: 'dtmi:modelDefinition:dtdlv2', count: 250, idPrefix: 'member' });
    await host.call('PUT', api('/deviceGroups/members'), { displayName: 'm', filter: 'SELECT * FROM devices WHERE startswith($id, "member-")' });
    const seen: string[] = [];
    let next: string | undefined = api('/deviceGroups/members/devices');
    while (next) {
      const body = (await (await host.call('GET', next.replace(host.url, ''))).json()) as { value: { id: string }[]; nextLink?: string };
      expectMatchesSpec(version, 'DeviceGroups_GetDevices', 200, body);
      seen.push(...body.value.map((d) => d.id));
      next = body.nextLink;
    }
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => `member-${i + 1}`));
  });

  it('answers a filter syntax error with 422 naming the position and token', async () => {
    const res = await host.call('PUT', api('/deviceGroups/broken'), { displayName: 'b', filter: 'SELECT * FROM devices WHER $simulated = true' });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'UnprocessableEntity', message: 'Unexpected token "WHER" at position 23; expected WHERE.' });
  });

  it('replays the list example', async () => {
    const fresh = await startTestHost();
    try {
      const list = example(version, 'devicegroups_list');
      for (const org of ['seattle', 'redmond']) await fresh.call('PUT', api(`/organizations/${org}`), { displayName: org });
      for (const group of (list.responses[200]!.body as { value: Record<string, unknown>[] }).value) {
        const { id, ...body } = group;
        expect((await fresh.call('PUT', api(`/deviceGroups/${id as string}`), body)).status).toBe(200);
      }
      await expectLikeExample(await fresh.call('GET', api('/deviceGroups')), list, 'DeviceGroups_List');
    } finally {
      await fresh.stop();
    }
  });
});
