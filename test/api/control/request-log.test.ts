import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoggedRequest, RequestSummary } from '../../../electron/api/control/schema/requests.js';
import { RequestLog, UI_CLIENT_HEADER } from '../../../electron/api/request-log.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';

interface RequestPage {
  capacity: number;
  total: number;
  requests: RequestSummary[];
}

describe('the request log at /_fleetlab/requests', () => {
  let host: TestHost;
  const list = async (query = '') => (await (await host.call('GET', `/_fleetlab/requests${query}`)).json()) as RequestPage;
  const entry = async (id: number) => (await (await host.call('GET', `/_fleetlab/requests/${id}`)).json()) as LoggedRequest;

  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(() => host.stop());

  it('records what a client sent to /api, newest first, with the token redacted', async () => {
    await host.call('DELETE', '/_fleetlab/requests');
    await host.call('GET', '/api/jobs?api-version=2022-07-31');
    await host.call('PUT', '/api/devices/logged-1?api-version=2022-07-31', { displayName: 'Logged one' });
    await host.call('GET', '/_fleetlab/info');

    const page = await list();
    expect(page.total).toBe(2);
    expect(page.requests.map((request) => `${request.method} ${request.url} ${request.status}`)).toEqual([
      'PUT /api/devices/logged-1?api-version=2022-07-31 200',
      'GET /api/jobs?api-version=2022-07-31 200',
    ]);
    const put = await entry(page.requests[0]!.id);
    expect(put.requestHeaders.authorization).toBe('(redacted)');
    expect(JSON.stringify(put)).not.toContain(host.token);
    expect(JSON.parse(put.requestBody.text)).toEqual({ displayName: 'Logged one' });
    expect(JSON.parse(put.responseBody.text)).toMatchObject({ id: 'logged-1', displayName: 'Logged one' });
    expect(put.responseHeaders['content-type']).toContain('application/json');
    expect(put.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(put.time)).not.toBeNaN();
  });

  it('keeps malformed bodies and error answers exactly as they were', async () => {
    await host.call('DELETE', '/_fleetlab/requests');
    await host.call('PUT', '/api/devices/broken?api-version=2022-07-31', '{"displayName": ');
    await host.call('GET', '/api/jobs', undefined, { authorization: 'SharedAccessSignature sr=x&sig=y&skn=z&se=1' });

    const [unauthorized, malformed] = (await list()).requests;
    expect(unauthorized).toMatchObject({ method: 'GET', url: '/api/jobs', status: 401 });
    expect(malformed).toMatchObject({ method: 'PUT', status: 400 });
    const body = await entry(malformed!.id);
    expect(body.requestBody).toEqual({ text: '{"displayName": ', truncated: false });
    expect(JSON.parse(body.responseBody.text).error.code).toBe('BadRequest');
  });

  it('marks bodies over the cap as truncated', async () => {
    await host.call('DELETE', '/_fleetlab/requests');
    const description = 'x'.repeat(100 * 1024);
    await host.call('PUT', '/api/deviceGroups/big?api-version=2022-07-31', { displayName: 'Big', filter: 'SELECT * FROM devices', description });

    const logged = await entry((await list()).requests[0]!.id);
    expect(logged.requestBody.truncated).toBe(true);
    expect(Buffer.byteLength(logged.requestBody.text)).toBe(64 * 1024);
  });

  it("hides the UI's own calls unless asked for them", async () => {
    await host.call('DELETE', '/_fleetlab/requests');
    await host.call('GET', '/api/deviceTemplates?api-version=2022-07-31', undefined, { [UI_CLIENT_HEADER]: 'ui' });
    await host.call('GET', '/api/devices?api-version=2022-07-31');

    expect((await list()).requests.map((request) => request.url)).toEqual(['/api/devices?api-version=2022-07-31']);
    const all = await list('?includeUi=true');
    expect(all.requests.map((request) => request.source)).toEqual(['client', 'ui']);
  });

  it('pages with offset and limit, and answers bad paging or unknown ids in words', async () => {
    await host.call('DELETE', '/_fleetlab/requests');
    for (const n of [1, 2, 3]) await host.call('GET', `/api/devices/none-${n}?api-version=2022-07-31`);

    const second = await list('?offset=1&limit=1');
    expect(second.total).toBe(3);
    expect(second.requests.map((request) => request.url)).toEqual(['/api/devices/none-2?api-version=2022-07-31']);

    const badLimit = await host.call('GET', '/_fleetlab/requests?limit=0');
    expect(badLimit.status).toBe(400);
    expect(((await badLimit.json()) as { error: { message: string } }).error.message).toBe('"limit" must be an integer from 1 to 500, got "0".');
    const unknown = await host.call('GET', '/_fleetlab/requests/999999');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('NotFound');
  });
});

describe('RequestLog', () => {
  it('keeps only the newest entries up to its capacity', () => {
    const log = new RequestLog({ capacity: 3 });
    for (const n of [1, 2, 3, 4, 5]) {
      log.add({
        time: new Date(0).toISOString(),
        method: 'GET',
        url: `/api/devices/d-${n}`,
        status: 200,
        durationMs: 1,
        source: 'client',
        requestHeaders: {},
        responseHeaders: {},
        requestBody: { text: '', truncated: false },
        responseBody: { text: '', truncated: false },
      });
    }
    const page = log.page(0, 10);
    expect(page.total).toBe(3);
    expect(page.requests.map((request) => request.url)).toEqual(['/api/devices/d-5', '/api/devices/d-4', '/api/devices/d-3']);
    expect(log.get(1)).toBeUndefined();
  });
});
