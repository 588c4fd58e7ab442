import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, countByStatus, createJob, expectJson, expectStartNotAfterEnd, jobBody, jobDevices, pollJob, seedFleet } from '../../helpers/engine-fleet.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';

const OFFLINE_MESSAGE = 'Could not connect to device in order to send command.';
const COMMAND_TIMEOUT_MS = 30_000;
const OFFLINE = ['radio-3', 'radio-7', 'radio-12'];

describe('commands to offline devices', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
    await seedFleet(host.call, {
      count: 20,
      prefix: 'radio',
      timeScale: 0,
      behavior: { commandFailureRate: 0, offlineRate: 0, commandTimeoutMs: COMMAND_TIMEOUT_MS, latencyMs: { min: 10, max: 50 } },
    });
    for (const id of OFFLINE) {
      const body = await expectJson<{ online: boolean | null }>(await host.call('PUT', `/_fleetlab/devices/${id}/behavior`, { online: false }), 200);
      expect(body.online).toBe(false);
    }
  });
  afterAll(() => host.stop());

  it('fails exactly the offline devices of a command job once the 30 s timeout has passed in virtual time', async () => {
    const startedAt = Date.now();
    await createJob(host.call, 'reboot-all', jobBody('radio', { kind: 'command' }));
    const { job } = await pollJob(host.call, 'reboot-all');
    expect(job).toMatchObject({ status: 'complete', progress: { total: 20, pending: 0, completed: 17, failed: 3 } });
    expectStartNotAfterEnd(job);
    expect(Date.parse(job.end!) - Date.parse(job.start!)).toBeGreaterThanOrEqual(COMMAND_TIMEOUT_MS);
    // Virtual time: the simulated timeout does not make the client wait for it.
    expect(Date.now() - startedAt).toBeLessThan(COMMAND_TIMEOUT_MS / 2);

    const devices = await jobDevices(host.call, 'reboot-all');
    expect(devices.filter((d) => d.status === 'failed').map((d) => d.id).sort()).toEqual([...OFFLINE].sort());
    expect(countByStatus(devices)).toEqual({ pending: 0, completed: 17, failed: 3 });

    const failed = await expectJson<{ matched: number; devices: { id: string; status: string; error?: string }[] }>(
      await host.call('GET', '/_fleetlab/jobs/reboot-all/devices?status=failed'),
      200,
    );
    expect(failed.matched).toBe(3);
    expect(failed.devices.map((d) => d.id).sort()).toEqual([...OFFLINE].sort());
    expect(failed.devices.every((d) => d.status === 'failed' && d.error === OFFLINE_MESSAGE)).toBe(true);
  });

  it('answers a single command to an offline device with "Could not connect to device in order to send command."', async () => {
    const res = await host.call('POST', api('/api/devices/radio-7/commands/reboot'), {});
    const body = await expectJson<{ error: { code: string; message: string } }>(res, 404);
    expect(body.error.message).toBe(OFFLINE_MESSAGE);
    expect(res.headers.get('x-ms-error-code')).toBe(body.error.code);

    const online = await host.call('POST', api('/api/devices/radio-8/commands/reboot'), {});
    expect(await expectJson(online, 201)).toMatchObject({ responseCode: 200 });
  });

  // Last: it takes the whole template offline.
  it('fails every device of a command job when the template is entirely offline', async () => {
    await seedFleet(host.call, { count: 10, prefix: 'dark', timeScale: 0, behavior: { offlineRate: 1 } });
    await createJob(host.call, 'reboot-dark', jobBody('dark', { kind: 'command' }));
    const { job } = await pollJob(host.call, 'reboot-dark');
    expect(job).toMatchObject({ status: 'complete', progress: { total: 10, pending: 0, completed: 0, failed: 10 } });
    expect(Date.parse(job.end!) - Date.parse(job.start!)).toBeGreaterThanOrEqual(COMMAND_TIMEOUT_MS);
    expect(countByStatus(await jobDevices(host.call, 'reboot-dark')).failed).toBe(10);
  });
});
