import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { expectMatchesSpec } from '../../helpers/spec.js';
import { VERSIONS } from './device-examples.js';
import { CentralClient, THERMOSTAT_ID, THERMOSTAT_TEMPLATE, type Json } from './job-fixtures.js';

const job = (group: string, organizations?: string[]) => ({
  displayName: 'Scoped',
  group,
  data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 20 }],
  ...(organizations && { organizations }),
});
const schedule = { start: '2099-01-01T00:00:00Z' };

describe.each(VERSIONS)('jobs scoped to an organization (api-version %s)', (version) => {
  let host: TestHost;
  let central: CentralClient;
  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1 });
    central = new CentralClient(host, version);
    await central.expect(200, 'PUT', `/deviceTemplates/${THERMOSTAT_ID}`, THERMOSTAT_TEMPLATE);
    await central.expect(200, 'PUT', '/organizations/contoso', { displayName: 'Contoso' });
    await central.expect(200, 'PUT', '/organizations/seattle', { displayName: 'Seattle', parent: 'contoso' });
    await central.expect(200, 'PUT', '/organizations/redmond', { displayName: 'Redmond', parent: 'contoso' });
    for (const [id, org] of [['sea-1', 'seattle'], ['red-1', 'redmond']] as const) {
      await central.expect(200, 'PUT', `/devices/${id}`, { displayName: id, template: THERMOSTAT_ID, simulated: true, organizations: [org] });
    }
    const group = (organizations?: string[]) => ({ displayName: 'g', filter: `SELECT * FROM devices WHERE $template = "${THERMOSTAT_ID}"`, ...(organizations && { organizations }) });
    await central.expect(200, 'PUT', '/deviceGroups/seattle-group', group(['seattle']));
    await central.expect(200, 'PUT', '/deviceGroups/root-group', group());
  });
  afterAll(() => host.stop());

  it('runs a job in the group organization or one above it and echoes organizations', async () => {
    for (const [id, organization] of [['in-seattle', 'seattle'], ['in-contoso', 'contoso']] as const) {
      const created = await central.expect(200, 'PUT', `/jobs/${id}`, job('seattle-group', [organization]));
      expectMatchesSpec(version, 'Jobs_Create', 200, created);
      expect(created.organizations).toEqual([organization]);
      expect((await central.waitForJob(id)).status).toBe('complete');
    }
  });

  it('answers 422 when the organization does not exist or cannot see the group, and creates nothing', async () => {
    const cases: [string, Json, string][] = [
      ['no-such-org', job('seattle-group', ['atlantis']), 'Organization "atlantis" does not exist.'],
      ['sibling-org', job('seattle-group', ['redmond']), 'not visible in organization "redmond"'],
      ['root-group', job('root-group', ['seattle']), 'not visible in organization "seattle"'],
    ];
    for (const [id, body, message] of cases) {
      const error = await central.expect<{ error: Json }>(422, 'PUT', `/jobs/${id}`, body);
      expectMatchesSpec(version, 'Jobs_Create', 422, error);
      expect(error.error.message).toContain(message);
      await central.expect(404, 'GET', `/jobs/${id}`);
    }
    const scheduled = await central.expect<{ error: Json }>(422, 'PUT', '/scheduledJobs/scoped', { ...job('seattle-group', ['atlantis']), schedule });
    expect(scheduled.error.code).toBe('UnprocessableEntity');
    await central.expect(404, 'GET', '/scheduledJobs/scoped');
  });

  it('checks the scope again when a scheduled job is patched', async () => {
    await central.expect(200, 'PUT', '/scheduledJobs/scoped-ok', { ...job('seattle-group', ['seattle']), schedule });
    await central.expect(422, 'PATCH', '/scheduledJobs/scoped-ok', { organizations: ['redmond'] });
    expect((await central.expect(200, 'GET', '/scheduledJobs/scoped-ok')).organizations).toEqual(['seattle']);
  });
});
