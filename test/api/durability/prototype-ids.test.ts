import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createJob, expectJson, jobBody, pollJob, seedFleet } from '../../helpers/engine-fleet.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';

describe('ids named like Object.prototype members', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
    await seedFleet(host.call, { count: 20, prefix: 'field', timeScale: 0 });
  });
  afterAll(() => host.stop());

  it('are ordinary ids that survive a snapshot export and import, and a restart', async () => {
    const filter = 'SELECT * FROM devices WHERE startswith($id, "field-")';
    for (const id of ['__proto__', 'constructor']) {
      await expectJson(await host.call('PUT', api(`/api/deviceGroups/${id}`), { displayName: `Group ${id}`, filter }), 200);
    }
    await createJob(host.call, 'constructor', jobBody('__proto__'));
    await pollJob(host.call, 'constructor');
    expect((await expectJson<{ value: { id: string }[] }>(await host.call('GET', api('/api/deviceGroups')), 200)).value.map((group) => group.id)).toEqual(
      expect.arrayContaining(['__proto__', 'constructor']),
    );
    expect((await host.call('GET', api('/api/deviceGroups/toString'))).status).toBe(404);

    const snapshot = await expectJson<Record<string, unknown>>(await host.call('GET', '/_fleetlab/snapshot'), 200);
    expect((await host.call('POST', '/_fleetlab/reset')).status).toBe(204);
    expect((await host.call('GET', api('/api/deviceGroups/__proto__'))).status).toBe(404);
    const imported = await host.call('PUT', '/_fleetlab/snapshot', snapshot);
    expect(imported.status, await imported.clone().text()).toBe(204);

    const check = async () => {
      expect(await expectJson(await host.call('GET', api('/api/deviceGroups/__proto__')), 200)).toMatchObject({ id: '__proto__', displayName: 'Group __proto__' });
      expect(await expectJson(await host.call('GET', api('/api/jobs/constructor')), 200)).toMatchObject({ id: 'constructor', group: '__proto__', status: 'complete' });
    };
    await check();
    await host.close();
    host = await startTestHost({ dataDir: host.dataDir });
    await check();
  });
});
