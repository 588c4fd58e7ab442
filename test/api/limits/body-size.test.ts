import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, expectJson } from '../../helpers/engine-fleet.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';

interface CentralErrorBody {
  error: { code: string; message: string };
}

describe('body size limits', () => {
  let host: TestHost;

  beforeAll(async () => {
    host = await startTestHost({ limits: { maxSnapshotMb: 1, maxBodyKb: 16 } });
  });
  afterAll(() => host.stop());

  it('refuses a snapshot above --max-snapshot-mb with a 413 naming the limit, and keeps answering', async () => {
    const exported = await expectJson<Record<string, unknown>>(await host.call('GET', '/_fleetlab/snapshot'), 200);
    const oversized = JSON.stringify({ ...exported, padding: 'x'.repeat(1024 * 1024) });
    const res = await host.call('PUT', '/_fleetlab/snapshot', oversized);
    const body = await expectJson<CentralErrorBody>(res, 413);
    expect(res.headers.get('x-ms-error-code')).toBe('PayloadTooLarge');
    expect(body.error.message).toBe('The request body is larger than 1 MiB, the most Fleetlab accepts here; start it with a larger --max-snapshot-mb to accept it.');

    expect((await host.call('GET', '/_fleetlab/info')).status).toBe(200);
    expect((await host.call('PUT', '/_fleetlab/snapshot', exported)).status).toBe(204);
  });

  it('accepts a snapshot above --max-body-kb, which only the other routes keep to', async () => {
    const exported = await expectJson<{ data: { devices: Record<string, unknown> } }>(await host.call('GET', '/_fleetlab/snapshot'), 200);
    const device = { id: 'big', displayName: 'y'.repeat(20 * 1024), enabled: true, simulated: false, provisioned: false, etag: 'e1' };
    const bigger = { ...exported, data: { ...exported.data, devices: { big: device } } };
    expect((await host.call('PUT', '/_fleetlab/snapshot', bigger)).status).toBe(204);
  });

  it('refuses any other body above --max-body-kb with a 413 naming that limit', async () => {
    const res = await host.call('PUT', api('/api/devices/big'), { displayName: 'z'.repeat(20 * 1024) });
    const body = await expectJson<CentralErrorBody>(res, 413);
    expect(body.error.message).toBe('The request body is larger than 16 KiB, the most Fleetlab accepts here; start it with a larger --max-body-kb to accept it.');
  });
});
