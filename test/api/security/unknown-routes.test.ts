import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { rawRequest } from '../../helpers/raw-http.js';
import { signedFetch } from '../aws/aws-client.js';

// The IoT Central areas Fleetlab does not emulate, the Azure CLI's own paths, and plain typos.
const CENTRAL_SHAPED = [
  '/api/users?api-version=2022-07-31',
  '/api/enrollmentGroups/SAS-IoT-Devices/certificates/primary/no-such-action?api-version=2022-07-31',
  '/api/dashboards?api-version=2022-10-31-preview',
  '/api/dataExport/exports?api-version=2022-10-31-preview',
  '/api/deploymentManifests?api-version=2022-10-31-preview',
  '/api/fileUploads?api-version=2022-07-31',
  '/api/no-such-area/x?api-version=2022-07-31',
  '/api',
  '/system/iothub/devices/therm-01/twin',
  '/system/iotedge/devices/edge-1/modules',
  '/_fleetlab/no-such-endpoint',
  '/_fleetlab',
];

describe('paths no route serves', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1 });
  });
  afterAll(() => host.stop());

  it.each(CENTRAL_SHAPED)('%s: 401 without a token, then 404 NotFound in the IoT Central error shape', async (path) => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const anonymous = await fetch(`${host.url}${path}`, { method });
      expect(anonymous.status, `${method} anonymous`).toBe(401);
      expect(anonymous.headers.get('x-ms-error-code')).toBe('Unauthorized');

      const res = await host.call(method, path);
      expect(res.status, method).toBe(404);
      expect(res.headers.get('x-ms-error-code')).toBe('NotFound');
      const { error } = (await res.json()) as { error: { code: string; message: string; requestId: string } };
      expect(error.code).toBe('NotFound');
      expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('/aws and /aws-jobs-data: refused before anything without a signature, then the AWS error shape', async () => {
    for (const prefix of ['/aws', '/aws-jobs-data']) {
      const anonymous = await fetch(`${host.url}${prefix}/no-such-operation`);
      expect(anonymous.status).toBe(403);
      expect(anonymous.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
      const withToken = await host.call('GET', `${prefix}/no-such-operation`);
      expect([400, 403]).toContain(withToken.status);
      expect(withToken.headers.get('x-amzn-errortype')).toMatch(/Signature|Authentication/);
    }
    const signed = await signedFetch(host, 'GET', '/no-such-operation');
    expect(signed.headers.get('x-amzn-errortype')).toBe('NotImplementedException');
    expect(((await signed.json()) as { message: string }).message).toContain('/aws/no-such-operation');
  });

  // Fastify's router refuses these before any route (and any plugin's error handler) is chosen.
  it('a path that does not percent-decode is a 400 in the error shape of its API, not Fastify\'s', async () => {
    for (const path of ['/api/devices/%/credentials?api-version=2022-07-31', '/_fleetlab/devices/%E0%A4%A/behavior']) {
      const res = await rawRequest(`${host.url}${path}`, { headers: { authorization: host.token } });
      expect(res.status, path).toBe(400);
      expect(res.headers['x-ms-error-code'], path).toBe('BadRequest');
      expect((JSON.parse(res.body) as { error: { code: string } }).error.code).toBe('BadRequest');
    }
    for (const prefix of ['/aws/things', '/aws-jobs-data/things']) {
      const res = await rawRequest(`${host.url}${prefix}/%/jobs/x`);
      expect(res.status, prefix).toBe(400);
      expect(res.headers['x-amzn-errortype'], prefix).toBe('InvalidRequestException');
      expect(JSON.parse(res.body)).toHaveProperty('message');
    }
    const s3 = await rawRequest(`${host.url}/s3/bucket/%`);
    expect(s3.status).toBe(400);
    expect(s3.body).toMatch(/^<\?xml[^>]*\?>\s*<Error><Code>InvalidRequest<\/Code><Message>[^<]+<\/Message>/);
  });
});
