import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedFetch } from '../aws/aws-client.js';
import { api, expectJson } from '../../helpers/engine-fleet.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';

interface CentralErrorBody {
  error: { code: string; message: string; requestId: string; time: string };
}

const TEXT = { 'content-type': 'text/plain' };

describe('the content-type policy of request bodies', () => {
  let host: TestHost;

  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(() => host.stop());

  async function expectCentral415(res: Response, sent: string): Promise<void> {
    const body = await expectJson<CentralErrorBody>(res, 415);
    expect(res.headers.get('x-ms-error-code')).toBe('UnsupportedMediaType');
    expect(body.error).toMatchObject({ code: 'UnsupportedMediaType', requestId: expect.any(String), time: expect.any(String) });
    expect(body.error.message).toBe(`Fleetlab reads request bodies as application/json or application/merge-patch+json; this request ${sent}.`);
  }

  it('answers a text/plain body on the IoT Central API with 415 and stores nothing', async () => {
    await expectCentral415(await host.call('PUT', api('/api/devices/plain'), '{"displayName": "Plain"}', TEXT), 'is "text/plain"');
    expect((await host.call('GET', api('/api/devices/plain'))).status).toBe(404);
  });

  it('answers a body without a content-type with 415', async () => {
    const res = await fetch(`${host.url}${api('/api/devices/untyped')}`, { method: 'PUT', headers: { authorization: host.token }, body: new Blob(['{"displayName": "Untyped"}']) });
    await expectCentral415(res, 'has no content-type');
  });

  it('answers a text/plain body on the control API with 415 in its error shape', async () => {
    await expectCentral415(await host.call('POST', '/_fleetlab/clock/advance', '{"ms": 1000}', TEXT), 'is "text/plain"');
  });

  it('answers a signed text/plain body on the AWS API with UnsupportedMediaTypeException', async () => {
    const res = await signedFetch(host, 'POST', '/things/plain-thing', { body: '{}', contentType: 'text/plain' });
    expect(res.status).toBe(415);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnsupportedMediaTypeException');
    expect(await res.json()).toEqual({ message: 'Fleetlab reads request bodies as application/json; this request is "text/plain".' });
  });

  it('reads JSON, JSON merge patches, and bodiless requests with or without a content-type', async () => {
    await expectJson(await host.call('PUT', api('/api/devices/typed'), { displayName: 'Typed' }, { 'content-type': 'application/json; charset=utf-8' }), 200);
    const patched = await host.call('PATCH', api('/api/devices/typed'), '{"displayName": "Patched"}', { 'content-type': 'application/merge-patch+json' });
    expect(await expectJson(patched, 200)).toMatchObject({ displayName: 'Patched' });
    expect((await host.call('DELETE', api('/api/devices/typed'), undefined, TEXT)).status).toBe(204);
    expect((await host.call('POST', '/_fleetlab/reset')).status).toBe(204);
    expect((await signedFetch(host, 'GET', '/things')).status).toBe(200);
  });
});
