import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';

const V = 'api-version=2022-07-31';
const GROUP = { displayName: 'Probe group', filter: 'SELECT * FROM devices' };
const SCHEDULED_JOB = {
  displayName: 'Probe schedule',
  group: 'probe-group',
  data: [{ type: 'property', target: 'dtmi:probe;1', path: 'x', value: 1 }],
  schedule: { start: '2099-01-01T00:00:00Z' },
};

describe('record ids the API must not take at face value', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1 });
  });
  afterAll(() => host.stop());

  it.each([
    ['deviceGroups', GROUP],
    ['scheduledJobs', SCHEDULED_JOB],
    ['devices', { displayName: 'Nameless' }],
    ['organizations', { displayName: 'Nameless' }],
  ])('refuses an empty %s id with 404 NotFound instead of creating a record with the id ""', async (collection, body) => {
    const res = await host.call('PUT', `/api/${collection}/?${V}`, body);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-ms-error-code')).toBe('NotFound');
    const list = (await (await host.call('GET', `/api/${collection}?${V}`)).json()) as { value: { id: string }[] };
    expect(list.value.map((record) => record.id)).not.toContain('');
  });

  // These ids fit IoT Central's id pattern, so they must round-trip like any other. Whether they do rests on the
  // domain and store layers (the store work replaces plain objects by Maps); this guards that work.
  it.each(['__proto__', 'constructor'])('keeps a device group with the id %s and reads it back', async (id) => {
    const created = await host.call('PUT', `/api/deviceGroups/${id}?${V}`, GROUP);
    expect(created.status).toBe(200);
    const read = await host.call('GET', `/api/deviceGroups/${id}?${V}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id, displayName: 'Probe group' });
    const list = (await (await host.call('GET', `/api/deviceGroups?${V}`)).json()) as { value: { id: string }[] };
    expect(list.value.map((group) => group.id)).toContain(id);
  });
});
