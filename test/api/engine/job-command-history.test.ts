import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createJob, expectJson, jobBody, pollJob, seedFleet } from '../../helpers/engine-fleet.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';

type History = { value: Record<string, unknown>[] };

describe("a device's command history", () => {
  let host: TestHost;
  const history = async (id: string) => expectJson<History>(await host.call('GET', api(`/api/devices/${id}/commands/reboot`)), 200);

  beforeAll(async () => {
    host = await startTestHost();
    await seedFleet(host.call, { count: 10, prefix: 'pump', timeScale: 0, behavior: { commandFailureRate: 0, offlineRate: 0, latencyMs: { min: 10, max: 50 } } });
    await host.call('PUT', '/_fleetlab/devices/pump-3/behavior', { online: false });
  });
  afterAll(() => host.stop());

  it('shows the last run of a command by a job, with the job as its id, and how the device answered', async () => {
    expect((await history('pump-1')).value).toEqual([]);
    await createJob(host.call, 'reboot-pumps', jobBody('pump', { kind: 'command' }));
    await pollJob(host.call, 'reboot-pumps');
    expect((await history('pump-1')).value).toEqual([{ id: 'reboot-pumps', request: {}, responseCode: 200 }]);
    expect((await history('pump-3')).value).toEqual([{ id: 'reboot-pumps', request: {}, responseCode: 500 }]);
  });

  it('keeps whichever ran last: a direct call after the job, then a later job', async () => {
    const direct = await expectJson<Record<string, unknown>>(await host.call('POST', api('/api/devices/pump-1/commands/reboot'), { request: {} }), 201);
    expect(direct).not.toHaveProperty('at');
    expect((await history('pump-1')).value).toEqual([direct]);

    await createJob(host.call, 'reboot-again', jobBody('pump', { kind: 'command' }));
    await pollJob(host.call, 'reboot-again');
    expect((await history('pump-1')).value).toEqual([{ id: 'reboot-again', request: {}, responseCode: 200 }]);
  });
});
