import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';

const NAMES = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__'];
const COLLECTIONS = ['jobs', 'scheduledJobs', 'devices', 'deviceGroups', 'deviceTemplates', 'organizations', 'apiTokens'];

describe('ids that name members of JavaScript objects', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(() => host.stop());

  it.each(COLLECTIONS)('are unknown %s until created, never a 500', async (collection) => {
    for (const name of NAMES) {
      const res = await host.call('GET', `/api/${collection}/${name}?api-version=2022-07-31`);
      expect([400, 404, 422], `${collection}/${name} answered ${res.status}`).toContain(res.status);
      expect(((await res.json()) as { error: { code: string } }).error.code).not.toBe('InternalServerError');
    }
  });

  it('can be used as an id like any other, and survive a restart', async () => {
    const created = await host.call('PUT', '/api/organizations/constructor?api-version=2022-07-31', { displayName: 'Builders' });
    expect(created.status).toBe(200);
    expect(((await host.call('GET', '/api/organizations?api-version=2022-07-31').then((r) => r.json())) as { value: { id: string }[] }).value.map((o) => o.id)).toContain('constructor');
    await host.close();
    const again = await startTestHost({ dataDir: host.dataDir });
    try {
      const read = await again.call('GET', '/api/organizations/constructor?api-version=2022-07-31');
      expect(read.status).toBe(200);
      expect(((await read.json()) as { displayName: string }).displayName).toBe('Builders');
      expect([400, 404]).toContain((await again.call('GET', '/api/organizations/valueof?api-version=2022-07-31')).status);
      expect((await again.call('GET', '/api/jobs/valueOf?api-version=2022-07-31')).status).toBe(404);
    } finally {
      await again.stop();
    }
  });
});
