import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { expectMatchesSpec } from '../../helpers/spec.js';
import { EXAMPLE_TEMPLATE, VERSIONS } from './device-examples.js';

describe.each(VERSIONS)('device templates (api-version %s)', (version) => {
  let host: TestHost;
  const api = (path: string) => `/api${path}${path.includes('?') ? '&' : '?'}api-version=${version}`;
  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(() => host.stop());

  it('creates, reads, lists, updates and deletes a template with a DTMI id', async () => {
    const id = 'dtmi:contoso:mythermostattemplate;1';
    const created = await host.call('PUT', api(`/deviceTemplates/${id}`), EXAMPLE_TEMPLATE);
    expect(created.status).toBe(200);
    const body = (await created.json()) as Record<string, unknown>;
    expectMatchesSpec(version, 'DeviceTemplates_Create', 200, body);
    expect(body).toMatchObject({ '@id': id, '@type': EXAMPLE_TEMPLATE['@type'], displayName: 'Example device', capabilityModel: EXAMPLE_TEMPLATE.capabilityModel });

    const got = (await (await host.call('GET', api(`/deviceTemplates/${id}`))).json()) as Record<string, unknown>;
    expectMatchesSpec(version, 'DeviceTemplates_Get', 200, got);
    expect(got).toEqual(body);

    const list = (await (await host.call('GET', api('/deviceTemplates'))).json()) as { value: unknown[] };
    expectMatchesSpec(version, 'DeviceTemplates_List', 200, list);
    expect(list.value).toEqual([body]);

    const patched = await host.call('PATCH', api(`/deviceTemplates/${id}`), { displayName: 'Renamed' });
    expect(patched.status).toBe(200);
    const renamed = (await patched.json()) as Record<string, unknown>;
    expectMatchesSpec(version, 'DeviceTemplates_Update', 200, renamed);
    expect(renamed).toMatchObject({ displayName: 'Renamed', capabilityModel: EXAMPLE_TEMPLATE.capabilityModel });

    expect((await host.call('DELETE', api(`/deviceTemplates/${id}`))).status).toBe(204);
    expect((await host.call('GET', api(`/deviceTemplates/${id}`))).status).toBe(404);
  });

  it('keeps @context and the other top-level fields the client sent, through create, read, list and patch', async () => {
    const id = 'dtmi:contoso:withcontext;1';
    // The shape of a template exported from IoT Central, which the Azure CLI's `device-template create` sends as is.
    const sent = { ...EXAMPLE_TEMPLATE, '@context': ['dtmi:iotcentral:context;2', 'dtmi:dtdl:context;2'], solutionModel: { '@type': 'SolutionModel' } };
    const created = (await (await host.call('PUT', api(`/deviceTemplates/${encodeURIComponent(id)}`), sent)).json()) as Record<string, unknown>;
    expectMatchesSpec(version, 'DeviceTemplates_Create', 200, created);
    expect(created).toMatchObject({ '@context': sent['@context'], solutionModel: sent.solutionModel });
    const got = (await (await host.call('GET', api(`/deviceTemplates/${encodeURIComponent(id)}`))).json()) as Record<string, unknown>;
    expect(got).toEqual(created);
    const list = (await (await host.call('GET', api('/deviceTemplates'))).json()) as { value: Record<string, unknown>[] };
    expect(list.value.find((template) => template['@id'] === id)).toEqual(created);
    const patched = await host.call('PATCH', api(`/deviceTemplates/${encodeURIComponent(id)}`), { solutionModel: null, displayName: 'Renamed' }, {
      'content-type': 'application/merge-patch+json',
    });
    const renamed = (await patched.json()) as Record<string, unknown>;
    expect(renamed).toMatchObject({ '@context': sent['@context'], displayName: 'Renamed' });
    expect(renamed).not.toHaveProperty('solutionModel');
    expect((await host.call('DELETE', api(`/deviceTemplates/${encodeURIComponent(id)}`))).status).toBe(204);
  });

  it('refuses to delete a template that devices use (409) and rejects a body without capabilityModel (422)', async () => {
    const id = 'dtmi:contoso:used;1';
    await host.call('PUT', api(`/deviceTemplates/${id}`), EXAMPLE_TEMPLATE);
    await host.call('PUT', api('/devices/user-1'), { template: id, simulated: true });
    const refused = await host.call('DELETE', api(`/deviceTemplates/${id}`));
    expect(refused.status).toBe(409);
    expect(refused.headers.get('x-ms-error-code')).toBe('Conflict');
    const invalid = await host.call('PUT', api('/deviceTemplates/dtmi:contoso:invalid;1'), { '@type': ['ModelDefinition'] });
    expect(invalid.status).toBe(422);
  });
});
