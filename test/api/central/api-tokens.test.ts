import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_FILE } from '../../../electron/store/data-dir-store.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { expectMatchesSpec } from '../../helpers/spec.js';
import { VERSIONS } from './device-examples.js';
import { CentralClient, HOWTO_GROUP, THERMOSTAT_ID, THERMOSTAT_TEMPLATE, seedThermostats, type Json } from './job-fixtures.js';

const ROLES = {
  administrator: 'ca310b8d-2f4a-44e0-a36e-957c202cd8d4',
  builder: '344138e9-8de4-4497-8c54-5237e96d6aaf',
  operator: 'ae2c9854-393b-4f97-8c42-479d70ce626e',
};
const job = { displayName: 'By operator', group: HOWTO_GROUP, data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 20 }] };

describe.each(VERSIONS)('API tokens and roles (api-version %s)', (version) => {
  let host: TestHost;
  let central: CentralClient;
  const as = (token: string) => ({ authorization: token });
  const createToken = async (id: string, role: string, expiry?: string) => {
    const created = await central.expect<Json & { token: string }>(200, 'PUT', `/apiTokens/${id}`, { roles: [{ role }], ...(expiry && { expiry }) });
    expectMatchesSpec(version, 'ApiTokens_Create', 200, created);
    return created;
  };
  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1 });
    central = new CentralClient(host, version);
    await seedThermostats(central, ['therm-01']);
  });
  afterAll(() => host.stop());

  it('returns the token once on create, never in GET or the list, and the token authenticates', async () => {
    const expiry = new Date(Date.now() + 30 * 24 * 3600_000).toISOString();
    const created = await createToken('ci-admin', ROLES.administrator, expiry);
    expect(created).toMatchObject({ id: 'ci-admin', roles: [{ role: ROLES.administrator }], expiry });
    expect(created.token).toMatch(/^SharedAccessSignature sr=[^&]+&sig=[^&]+&skn=ci-admin&se=\d+$/);

    const got = await central.expect(200, 'GET', '/apiTokens/ci-admin');
    expectMatchesSpec(version, 'ApiTokens_Get', 200, got);
    expect(got).toEqual({ id: 'ci-admin', roles: [{ role: ROLES.administrator }], expiry });
    const list = await central.expect<{ value: Json[] }>(200, 'GET', '/apiTokens');
    expectMatchesSpec(version, 'ApiTokens_List', 200, list);
    expect(list.value).toContainEqual(got);
    expect(JSON.stringify(list)).not.toContain(created.token);

    expect((await central.call('GET', '/jobs', undefined, as(created.token))).status).toBe(200);
    const again = await central.expect<{ error: Json }>(409, 'PUT', '/apiTokens/ci-admin', { roles: [{ role: ROLES.administrator }] });
    expect(again.error.code).toBe('Conflict');
  });

  it('stores only a hash of each token in the data dir', async () => {
    const created = await createToken('hashed', ROLES.operator);
    const names = await readdir(host.dataDir);
    expect(names).toContain(MAIN_FILE);
    const file = (await Promise.all(names.filter((name) => name.startsWith('fleetlab')).map((name) => readFile(path.join(host.dataDir, name), 'utf8')))).join('\n');
    expect(file).toContain('"hashed"');
    const signature = /sig=([^&]+)/.exec(created.token)![1]!;
    expect(file).not.toContain(created.token);
    expect(file).not.toContain(signature);
    expect(file).not.toContain(decodeURIComponent(signature));
  });

  it('answers 401 to an expired token, a deleted token, a forged one and none', async () => {
    const refused = await central.expect<{ error: Json }>(422, 'PUT', '/apiTokens/expired', { roles: [{ role: ROLES.administrator }], expiry: new Date(Date.now() - 60_000).toISOString() });
    expect(refused.error.message).toContain('expiry');
    const expired = await createToken('expired', ROLES.administrator, new Date(Date.now() + 500).toISOString());
    await expect.poll(async () => (await central.call('GET', '/jobs', undefined, as(expired.token))).status, { message: 'the token has expired' }).toBe(401);
    const revoked = await createToken('revoked', ROLES.administrator);
    expect((await central.call('GET', '/jobs', undefined, as(revoked.token))).status).toBe(200);
    expect(await central.expect(204, 'DELETE', '/apiTokens/revoked')).toBeUndefined();
    await central.expect(404, 'GET', '/apiTokens/revoked');

    const forged = revoked.token.replace(/sig=[^&]+/, 'sig=forged');
    for (const [what, headers] of [
      ['expired', as(expired.token)],
      ['deleted', as(revoked.token)],
      ['forged', as(forged)],
      ['empty', as('')],
      ['bearer', as('Bearer abc')],
    ] as const) {
      const res = await central.call('GET', '/jobs', undefined, headers);
      expect(res.status, what).toBe(401);
      expect(res.headers.get('x-ms-error-code')).toBe('Unauthorized');
      const body = (await res.json()) as { error: Json };
      expectMatchesSpec(version, 'Jobs_List', 401, body);
    }
    const anonymous = await fetch(`${host.url}${central.path('/jobs')}`);
    expect(anonymous.status).toBe(401);
  });

  it('lets an Operator run, stop and read jobs but not manage tokens or device templates (403)', async () => {
    const { token } = await createToken('operator', ROLES.operator);
    const created = await central.call('PUT', '/jobs/operator-job', job, as(token));
    expect(created.status).toBe(200);
    expectMatchesSpec(version, 'Jobs_Create', 200, await created.json());
    expect((await central.call('GET', '/jobs/operator-job', undefined, as(token))).status).toBe(200);

    for (const [method, path, body] of [
      ['PUT', '/apiTokens/escalate', { roles: [{ role: ROLES.administrator }] }],
      ['GET', '/apiTokens', undefined],
      ['DELETE', '/apiTokens/operator', undefined],
      ['PUT', `/deviceTemplates/dtmi:contoso:sneaky;1`, THERMOSTAT_TEMPLATE],
      ['DELETE', `/deviceTemplates/${THERMOSTAT_ID}`, undefined],
    ] as const) {
      const res = await central.call(method, path, body, as(token));
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.headers.get('x-ms-error-code')).toBe('Forbidden');
      expect(((await res.json()) as { error: Json }).error.code).toBe('Forbidden');
    }
    await central.expect(404, 'GET', '/apiTokens/escalate');
    await central.expect(404, 'GET', '/deviceTemplates/dtmi:contoso:sneaky;1');
    await central.expect(200, 'GET', '/apiTokens/operator');
  });

  it('lets a Builder edit device templates but not tokens', async () => {
    const { token } = await createToken('builder', ROLES.builder);
    expect((await central.call('PUT', '/deviceTemplates/dtmi:contoso:built;1', THERMOSTAT_TEMPLATE, as(token))).status).toBe(200);
    expect((await central.call('PUT', '/apiTokens/from-builder', { roles: [{ role: ROLES.operator }] }, as(token))).status).toBe(403);
  });

  it('rejects a token for an unknown role (422) and a malformed or past expiry (422)', async () => {
    const role = await central.expect<{ error: Json }>(422, 'PUT', '/apiTokens/bad-role', { roles: [{ role: 'superuser' }] });
    expect(role.error.message).toContain('superuser');
    await central.expect(422, 'PUT', '/apiTokens/bad-expiry', { roles: [{ role: ROLES.operator }], expiry: 'next tuesday' });
    const past = await central.expect<{ error: Json }>(422, 'PUT', '/apiTokens/past-expiry', { roles: [{ role: ROLES.operator }], expiry: '2001-01-01T00:00:00Z' });
    expect(past.error.message).toContain('"expiry" must be in the future');
    await central.expect(404, 'GET', '/apiTokens/past-expiry');
    await central.expect(422, 'PUT', '/apiTokens/no-roles', { roles: [] });
    await central.expect(404, 'GET', '/apiTokens/bad-role');
  });

  it('lists the three built-in roles and gets one by id', async () => {
    const roles = await central.expect<{ value: Json[] }>(200, 'GET', '/roles');
    expectMatchesSpec(version, 'Roles_List', 200, roles);
    expect(roles.value).toEqual([
      { id: ROLES.administrator, displayName: 'App Administrator' },
      { id: ROLES.builder, displayName: 'App Builder' },
      { id: ROLES.operator, displayName: 'App Operator' },
    ]);
    const operator = await central.expect(200, 'GET', `/roles/${ROLES.operator}`);
    expectMatchesSpec(version, 'Roles_Get', 200, operator);
    expect(operator).toEqual({ id: ROLES.operator, displayName: 'App Operator' });
    await central.expect(404, 'GET', '/roles/not-a-role');
  });
});
