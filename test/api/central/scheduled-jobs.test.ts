import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { expectMatchesSpec } from '../../helpers/spec.js';
import { VERSIONS } from './device-examples.js';
import { CentralClient, HOWTO_GROUP, THERMOSTAT_ID, isFinishedJob, seedThermostats, setSimulation, type Json } from './job-fixtures.js';

const DAY = 24 * 3600_000;
const definition = (displayName: string) => ({
  displayName,
  description: 'Nightly setpoint',
  group: HOWTO_GROUP,
  data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 19 }],
});

async function simulatedNow(host: TestHost): Promise<number> {
  return Date.parse(((await (await host.call('GET', '/_fleetlab/simulation')).json()) as { now: string }).now);
}

async function advance(host: TestHost, ms: number): Promise<void> {
  const res = await host.call('POST', '/_fleetlab/clock/advance', { ms });
  expect(res.status, await res.clone().text()).toBe(200);
}

describe.each(VERSIONS)('scheduled jobs (api-version %s)', (version) => {
  let host: TestHost;
  let central: CentralClient;
  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1 });
    central = new CentralClient(host, version);
    await seedThermostats(central, ['therm-01', 'therm-02']);
  });
  afterAll(() => host.stop());

  it('creates, reads, lists, patches and deletes a scheduled job', async () => {
    const body = { ...definition('Nightly'), schedule: { start: '2099-03-01T02:00:00Z', recurrence: 'weekly', end: { type: 'date', date: '2099-06-01' } } };
    const created = await central.expect(200, 'PUT', '/scheduledJobs/nightly', body);
    expectMatchesSpec(version, 'ScheduledJobs_Create', 200, created);
    expect(created).toEqual({ id: 'nightly', ...body, enabled: true, completed: false, etag: expect.any(String) });

    const got = await central.expect(200, 'GET', '/scheduledJobs/nightly');
    expectMatchesSpec(version, 'ScheduledJobs_Get', 200, got);
    expect(got).toEqual(created);

    const list = await central.expect<{ value: Json[] }>(200, 'GET', '/scheduledJobs');
    expectMatchesSpec(version, 'ScheduledJobs_List', 200, list);
    expect(list.value).toEqual([created]);

    const patched = await central.expect(200, 'PATCH', '/scheduledJobs/nightly', { enabled: false, description: 'Paused' });
    expectMatchesSpec(version, 'ScheduledJobs_Update', 200, patched);
    expect(patched).toMatchObject({ ...body, enabled: false, description: 'Paused' });
    expect(patched.etag).not.toBe(created.etag);

    const badPatch = await central.expect<{ error: Json }>(422, 'PATCH', '/scheduledJobs/nightly', { schedule: { recurrence: 'hourly' } });
    expect(badPatch.error.code).toBe('UnprocessableEntity');
    expect(await central.expect(200, 'GET', '/scheduledJobs/nightly')).toEqual(patched);

    expect(await central.expect(204, 'DELETE', '/scheduledJobs/nightly')).toBeUndefined();
    await central.expect(404, 'GET', '/scheduledJobs/nightly');
    await central.expect(404, 'DELETE', '/scheduledJobs/nightly');
    await central.expect(404, 'GET', '/scheduledJobs/nightly/jobs');
  });

  it('refuses a schedule on a group that does not exist and a job value that does not fit', async () => {
    const schedule = { start: '2099-03-01T02:00:00Z' };
    await central.expect(404, 'PUT', '/scheduledJobs/nowhere', { ...definition('x'), group: 'no-such-group', schedule });
    const res = await central.expect<{ error: Json }>(422, 'PUT', '/scheduledJobs/warm', { ...definition('x'), data: [{ ...definition('x').data[0], value: 'warm' }], schedule });
    expectMatchesSpec(version, 'ScheduledJobs_Create', 422, res);
    await central.expect(404, 'GET', '/scheduledJobs/warm');
  });
});

describe('scheduled job etags (api-version 2022-10-31-preview)', () => {
  let host: TestHost;
  let central: CentralClient;
  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1 });
    central = new CentralClient(host, '2022-10-31-preview');
    await seedThermostats(central, ['therm-01']);
  });
  afterAll(() => host.stop());

  it('answers 412 to a stale If-Match on PUT, PATCH and DELETE and accepts the current etag', async () => {
    const body = { ...definition('Tagged'), schedule: { start: '2099-01-01T00:00:00Z' } };
    const first = await central.expect(200, 'PUT', '/scheduledJobs/tagged', body);
    const second = await central.expect(200, 'PUT', '/scheduledJobs/tagged', { ...body, description: 'v2' }, { 'if-match': first.etag as string });
    const stale = { 'if-match': first.etag as string };
    for (const [method, payload] of [['PUT', body], ['PATCH', { description: 'v3' }], ['DELETE', undefined]] as const) {
      const error = await central.expect<{ error: Json }>(412, method, '/scheduledJobs/tagged', payload, stale);
      expect(error.error.code).toBe('PreconditionFailed');
    }
    expect(await central.expect(200, 'GET', '/scheduledJobs/tagged')).toEqual(second);
    await central.expect(412, 'PUT', '/scheduledJobs/never-created', body, { 'if-match': '"nope"' });
    await central.expect(204, 'DELETE', '/scheduledJobs/tagged', undefined, { 'if-match': second.etag as string });
  });
});

describe.each(VERSIONS)('scheduled job runs (api-version %s)', (version) => {
  let host: TestHost;
  let central: CentralClient;
  beforeEach(async () => {
    host = await startTestHost({ simulatorThreads: 1 });
    central = new CentralClient(host, version);
    await seedThermostats(central, ['therm-01', 'therm-02']);
  });
  afterEach(() => host.stop());

  const instances = () => central.walk(`/scheduledJobs/daily/jobs`);
  const instancesSettled = (count: number) =>
    vi.waitFor(
      async () => {
        const list = await instances();
        if (list.length !== count || !list.every(isFinishedJob)) throw new Error(`expected ${count} finished instances, have ${JSON.stringify(list)}`);
        return list;
      },
      { timeout: 10_000, interval: 25 },
    );

  it('runs a daily schedule of 3 occurrences in virtual time, each on the group as it is then, then completes', async () => {
    await setSimulation(host, { timeScale: 0 });
    const start = (await simulatedNow(host)) + 3600_000;
    const schedule = { start: new Date(start).toISOString(), recurrence: 'daily', end: { type: 'occurrences', occurrences: 3 } };
    await central.expect(200, 'PUT', '/scheduledJobs/daily', { ...definition('Setpoint'), schedule });
    expect(await instances()).toEqual([]);

    await advance(host, 2 * 3600_000);
    const [first] = await instancesSettled(1);
    expect(first).toMatchObject({ displayName: 'Setpoint - 1', scheduledJobId: 'daily', status: 'complete', progress: { total: 2, completed: 2 } });
    expectMatchesSpec(version, 'Jobs_Get', 200, first);
    expect(Date.parse(first!.start as string)).toBeGreaterThanOrEqual(start);

    // A device that joins the group after the first run is in the second one only.
    await central.expect(200, 'PUT', '/devices/therm-03', { displayName: 'therm-03', template: THERMOSTAT_ID, simulated: true });
    await advance(host, DAY);
    const afterTwo = await instancesSettled(2);
    expect(afterTwo.map((job) => job.displayName)).toEqual(['Setpoint - 2', 'Setpoint - 1']);
    expect((await central.walk(`/jobs/${afterTwo[0]!.id as string}/devices`)).map((d) => d.id)).toEqual(['therm-01', 'therm-02', 'therm-03']);
    expect((await central.walk(`/jobs/${afterTwo[1]!.id as string}/devices`)).map((d) => d.id)).toEqual(['therm-01', 'therm-02']);
    expect((await central.expect(200, 'GET', '/scheduledJobs/daily')).completed).toBe(false);

    await advance(host, 5 * DAY);
    const all = await instancesSettled(3);
    const listed = await central.expect(200, 'GET', '/scheduledJobs/daily/jobs');
    expectMatchesSpec(version, 'ScheduledJobs_ListJobs', 200, listed);
    expect(all.map((job) => job.displayName)).toEqual(['Setpoint - 3', 'Setpoint - 2', 'Setpoint - 1']);
    expect(all.every((job) => job.scheduledJobId === 'daily')).toBe(true);
    expect(await central.expect(200, 'GET', '/scheduledJobs/daily')).toMatchObject({ completed: true, enabled: true });
    // Instances are ordinary jobs too.
    const jobIds = (await central.walk('/jobs')).map((job) => job.id);
    for (const job of all) expect(jobIds).toContain(job.id);
  });

  it('refuses to update a scheduled job while an instance runs (409) and accepts it afterwards', async () => {
    await setSimulation(host, { defaults: { latencyMs: { min: 1500, max: 1500 } } });
    const start = new Date((await simulatedNow(host)) - 60_000).toISOString();
    // A one-off schedule whose time has just passed runs once at once.
    await central.expect(200, 'PUT', '/scheduledJobs/daily', { ...definition('Now'), schedule: { start } });
    const [running] = await vi.waitFor(
      async () => {
        const list = await instances();
        if (list.length === 0) throw new Error('the schedule has not started an instance yet');
        return list;
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(['pending', 'running']).toContain(running!.status);

    const refused = await central.expect<{ error: Json }>(409, 'PATCH', '/scheduledJobs/daily', { description: 'changed' });
    expectMatchesSpec(version, 'ScheduledJobs_Update', 409, refused);
    expect(refused.error.code).toBe('Conflict');
    await central.expect(409, 'PUT', '/scheduledJobs/daily', { ...definition('Now'), schedule: { start } });

    await instancesSettled(1);
    const updated = await central.expect(200, 'PATCH', '/scheduledJobs/daily', { description: 'changed' });
    expect(updated).toMatchObject({ description: 'changed', completed: true });
  });
});
