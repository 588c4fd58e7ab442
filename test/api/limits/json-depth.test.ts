import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedFetch } from '../aws/aws-client.js';
import { api, expectJson } from '../../helpers/engine-fleet.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';

/** JSON text of arrays nested `depth` deep: `[[[]]]` is 3. */
const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const TOO_DEEP = nestedArrays(10_000);

interface CentralErrorBody {
  error: { code: string; message: string };
}

/** A complex schema nested as deep as DTDL allows (8 levels), with localized names as IoT Central exports them. */
function deepestDtdlSchema(): unknown {
  let schema: unknown = { '@type': 'Enum', valueSchema: 'integer', enumValues: [{ name: 'off', enumValue: 0, displayName: { en: 'Off' } }] };
  for (let level = 1; level < 8; level++) {
    schema = { '@type': 'Object', fields: [{ name: `level${level}`, displayName: { en: `Level ${level}` }, schema }] };
  }
  return schema;
}

describe('JSON nesting depth of request bodies', () => {
  let host: TestHost;

  beforeAll(async () => {
    host = await startTestHost();
    await expectJson(await host.call('PUT', api('/api/devices/d1'), { displayName: 'Deep target' }), 200);
  });
  afterAll(() => host.stop());

  async function expectCentralDepthRefusal(res: Response): Promise<void> {
    const body = await expectJson<CentralErrorBody>(res, 400);
    expect(res.headers.get('x-ms-error-code')).toBe('BadRequest');
    expect(body.error.code).toBe('BadRequest');
    expect(body.error.message).toContain('more than 64 levels deep');
    expect(body.error.message).toContain('--max-json-depth');
  }

  it('refuses a 10,000-deep property value with a 400 naming the limit, and the store stays writable and exportable', async () => {
    await expectCentralDepthRefusal(await host.call('PATCH', api('/api/devices/d1/properties'), `{"deep": ${TOO_DEEP}}`));

    await expectJson(await host.call('PATCH', api('/api/devices/d1/properties'), { shallow: [1, 2] }), 202);
    await expectJson(await host.call('PATCH', api('/api/devices/d1'), { displayName: 'Still writable' }), 200);
    const snapshot = await host.call('GET', '/_fleetlab/snapshot');
    expect(snapshot.status).toBe(200);
    expect(JSON.stringify(await snapshot.json())).toContain('Still writable');
  });

  it('refuses a 10,000-deep device template', async () => {
    const template = `{"displayName": "Deep", "capabilityModel": {"@type": "Interface", "contents": ${TOO_DEEP}}}`;
    await expectCentralDepthRefusal(await host.call('PUT', api('/api/deviceTemplates/dtmi:fleetlab:deep;1'), template));
  });

  it('accepts a template whose schemas nest as deep as DTDL allows, inside a component', async () => {
    const template = {
      '@type': ['ModelDefinition', 'DeviceModel'],
      displayName: 'Deepest DTDL',
      capabilityModel: {
        '@id': 'dtmi:fleetlab:deepest;1',
        '@type': 'Interface',
        contents: [
          {
            '@type': 'Component',
            name: 'settings',
            schema: { '@id': 'dtmi:fleetlab:deepestSettings;1', '@type': 'Interface', contents: [{ '@type': ['Property', 'Cloud'], name: 'mode', schema: deepestDtdlSchema() }] },
          },
        ],
      },
    };
    await expectJson(await host.call('PUT', api('/api/deviceTemplates/dtmi:fleetlab:deepest;1'), template), 200);
  });

  it('refuses a 10,000-deep body on the control API in its error shape', async () => {
    await expectCentralDepthRefusal(await host.call('PUT', '/_fleetlab/simulation', `{"defaults": ${TOO_DEEP}}`));
    expect((await host.call('GET', '/_fleetlab/simulation')).status).toBe(200);
  });

  it('refuses a 10,000-deep body on the AWS API as InvalidRequestException', async () => {
    const res = await signedFetch(host, 'POST', '/things/deep-thing', { body: `{"attributePayload": {"attributes": ${TOO_DEEP}}}` });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('InvalidRequestException');
    expect(((await res.json()) as { message: string }).message).toContain('--max-json-depth');
    const thing = await signedFetch(host, 'POST', '/things/shallow-thing', { body: '{"attributePayload": {"attributes": {"room": "1"}}}' });
    expect(thing.status).toBe(200);
  });

  it('stores a value at the deepest accepted nesting, and the snapshot holding it imports again', async () => {
    // The body is one level (the object) around the value: 64 in all.
    await expectJson(await host.call('PATCH', api('/api/devices/d1/properties'), `{"deepest": ${nestedArrays(63)}}`), 202);
    const snapshot = await host.call('GET', '/_fleetlab/snapshot');
    expect(snapshot.status).toBe(200);
    expect((await host.call('PUT', '/_fleetlab/snapshot', await snapshot.text())).status).toBe(204);
  });
});

describe('a host started with a larger --max-json-depth', () => {
  let host: TestHost;

  beforeAll(async () => {
    host = await startTestHost({ limits: { maxJsonDepth: 200 } });
    await expectJson(await host.call('PUT', api('/api/devices/d1'), { displayName: 'Deep target' }), 200);
  });
  afterAll(() => host.stop());

  it('accepts a value the default refuses, and names its own limit beyond it', async () => {
    await expectJson(await host.call('PATCH', api('/api/devices/d1/properties'), `{"deep": ${nestedArrays(150)}}`), 202);
    const refused = await expectJson<CentralErrorBody>(await host.call('PATCH', api('/api/devices/d1/properties'), `{"deep": ${nestedArrays(250)}}`), 400);
    expect(refused.error.message).toContain('more than 200 levels deep');
  });
});
