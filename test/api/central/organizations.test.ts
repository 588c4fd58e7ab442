import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { expectMatchesSpec } from '../../helpers/spec.js';
import { VERSIONS } from './device-examples.js';

describe.each(VERSIONS)('organizations (api-version %s)', (version) => {
  let host: TestHost;
  const api = (path: string) => `/api${path}${path.includes('?') ? '&' : '?'}api-version=${version}`;
  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(() => host.stop());

  it('creates a tree of organizations, lists, updates and deletes them', async () => {
    const root = await host.call('PUT', api('/organizations/contoso'), { displayName: 'Contoso' });
    expect(root.status).toBe(200);
    expectMatchesSpec(version, 'Organizations_Create', 200, await root.json());
    const child = await host.call('PUT', api('/organizations/seattle'), { displayName: 'Seattle', parent: 'contoso' });
    expect(await child.json()).toEqual({ id: 'seattle', displayName: 'Seattle', parent: 'contoso' });

    const list = (await (await host.call('GET', api('/organizations'))).json()) as { value: unknown[] };
    expectMatchesSpec(version, 'Organizations_List', 200, list);
    expect(list.value).toHaveLength(2);

    const renamed = await host.call('PATCH', api('/organizations/seattle'), { displayName: 'Seattle HQ' });
    expectMatchesSpec(version, 'Organizations_Update', 200, await renamed.json());
    expect((await (await host.call('GET', api('/organizations/seattle'))).json()) as object).toMatchObject({ displayName: 'Seattle HQ' });

    expect((await host.call('DELETE', api('/organizations/contoso'))).status).toBe(409);
    expect((await host.call('DELETE', api('/organizations/seattle'))).status).toBe(204);
    expect((await host.call('DELETE', api('/organizations/contoso'))).status).toBe(204);
    expect((await host.call('GET', api('/organizations/contoso'))).status).toBe(404);
  });

  it('rejects an unknown parent, a cycle, and an organization still used by a device', async () => {
    expect((await host.call('PUT', api('/organizations/orphan'), { displayName: 'o', parent: 'nowhere' })).status).toBe(422);
    expect((await host.call('PUT', api('/organizations/org-a'), { displayName: 'a' })).status).toBe(200);
    expect((await host.call('PUT', api('/organizations/org-b'), { displayName: 'b', parent: 'org-a' })).status).toBe(200);
    expect((await host.call('PATCH', api('/organizations/org-a'), { parent: 'org-b' })).status).toBe(422);
    expect((await host.call('PUT', api('/devices/member'), { displayName: 'm', organizations: ['org-b'] })).status).toBe(200);
    expect((await host.call('DELETE', api('/organizations/org-b'))).status).toBe(409);
    expect((await host.call('PUT', api('/organizations/Bad_Id'), { displayName: 'x' })).status).toBe(400);
  });
});
