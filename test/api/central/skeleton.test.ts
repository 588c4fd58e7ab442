import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';

const TOKEN = 'SharedAccessSignature sr=ci&sig=test-secret&skn=ci&se=4102444800000';

describe('the /api skeleton', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost({ apiToken: TOKEN });
  });
  afterAll(() => host.stop());

  it('answers 401 in the IoT Central error shape without a token', async () => {
    const res = await fetch(`${host.url}/api/jobs?api-version=2022-07-31`);
    expect(res.status).toBe(401);
    expect(res.headers.get('x-ms-error-code')).toBe('Unauthorized');
    const body = (await res.json()) as { error: Record<string, string> };
    expect(body.error.code).toBe('Unauthorized');
    expect(body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(body.error.time!).toUTCString()).toBe(body.error.time);
  });

  it('accepts the FLEETLAB_API_TOKEN value as the whole Authorization header', async () => {
    const res = await host.call('GET', '/api/jobs?api-version=2022-07-31');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ value: [] });
  });

  it('rejects a token that differs in one character', async () => {
    const res = await host.call('GET', '/api/jobs?api-version=2022-07-31', undefined, { authorization: TOKEN.replace('secret', 'secreT') });
    expect(res.status).toBe(401);
  });

  it.each([undefined, '2021-04-30-preview', 'garbage'])('answers 404 for api-version %s', async (version) => {
    const res = await host.call('GET', `/api/jobs${version === undefined ? '' : `?api-version=${version}`}`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('NotFound');
    expect(body.error.message).toBe(
      `"${version ?? ''}" is not a valid API version.${version ? '' : ' The api-version query parameter is required.'} Supported API versions are: 2022-07-31, 2022-10-31-preview, 2022-06-30-preview, 1.2-preview, 1.1-preview, preview.`,
    );
  });

  it.each(['2022-10-31-preview', '2022-06-30-preview', '1.2-preview', '1.1-preview', 'preview'])('accepts api-version %s', async (version) => {
    expect((await host.call('GET', `/api/jobs?api-version=${version}`)).status).toBe(200);
  });

  it('refuses a request addressed to a foreign Host, whatever it carries', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${host.url}/api/jobs?api-version=2022-07-31`);
      request(url, { headers: { host: 'attacker.example:80', authorization: TOKEN } }, (res) => resolve(res.statusCode ?? 0))
        .on('error', reject)
        .end();
    });
    expect(status).toBe(403);
  });

  it('answers malformed JSON with 400 and the error shape', async () => {
    const res = await host.call('PUT', '/api/apiTokens/x?api-version=2022-07-31', '{"roles": [', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BadRequest');
  });

  it('answers an oversized body with 413', async () => {
    const res = await host.call('PUT', '/api/apiTokens/x?api-version=2022-07-31', JSON.stringify({ roles: [], pad: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.headers.get('x-ms-error-code')).toBe('PayloadTooLarge');
  });
});
