import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { expectMatchesSpec } from '../../helpers/spec.js';
import { VERSIONS } from './device-examples.js';
import { CentralClient, type Json } from './job-fixtures.js';
import { SENSOR_TEMPLATE, SENSOR_TEMPLATE_ID } from './sensor-template.js';

/** A self-signed certificate (CN=fleetlab-test-device) and its SHA-1 fingerprint as `openssl x509 -fingerprint -sha1` prints it. */
const CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBlTCCATugAwIBAgIUVDB87HKP6aqHY5wlXKR5cGMGymcwCgYIKoZIzj0EAwIw
HzEdMBsGA1UEAwwUZmxlZXRsYWItdGVzdC1kZXZpY2UwIBcNMjYxMTI0MDI0NTQ4
WhgPMjEyNjEwMzEwMjQ1NDhaMB8xHTAbBgNVBAMMFGZsZWV0bGFiLXRlc3QtZGV2
aWNlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQ+UIs4BEVR6LrAg1945Bj+Fl
A6Arr/nTeeO8gqgorkTcdcqpZAKUqsc7NpqxH8Zbx15PavHPhsCY0lS5AHDKNKNT
MFEwHQYDVR0OBBYEFFxb3BqlW5QdJcUNi6sALZO7/JmsMB8GA1UdIwQYMBaAFFxb
3BqlW5QdJcUNi6sALZO7/JmsMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwID
SAAwRQIgI1YrU13R2KYM3Wtk6ZvZo8baeohgL9FMiXPukGunaxsCIQD20h/bOAsB
9OdkxTj8AKF150Pfef4BYV56xB7ItNddZg==
-----END CERTIFICATE-----
`;
const CERTIFICATE_THUMBPRINT = '7F5E64C0D7D691851342BAA6D4692AD4AE06D051';
const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');

describe.each(VERSIONS)('device attestation, credentials, relationships, modules and telemetry (api-version %s)', (version) => {
  let host: TestHost;
  let central: CentralClient;

  /** Sends the request, expects `status`, and checks the body against the spec's response for that status. */
  async function expectSpec(status: number, operationId: string, method: string, path: string, body?: unknown): Promise<Json> {
    const res = await central.call(method, path, body);
    const text = await res.text();
    expect(res.status, `${method} ${path} answered ${text}`).toBe(status);
    const parsed = text === '' ? undefined : (JSON.parse(text) as Json);
    expectMatchesSpec(version, operationId, status, parsed);
    return parsed ?? {};
  }

  beforeAll(async () => {
    host = await startTestHost();
    central = new CentralClient(host, version);
    await central.expect(200, 'PUT', `/deviceTemplates/${encodeURIComponent(SENSOR_TEMPLATE_ID)}`, SENSOR_TEMPLATE);
    for (const id of ['sensor-1', 'sensor-2', 'gateway-1', 'child-1', 'child-2']) {
      await central.expect(200, 'PUT', `/devices/${id}`, { displayName: id, template: SENSOR_TEMPLATE_ID, simulated: true });
    }
    await central.expect(200, 'PUT', '/devices/real-1', { displayName: 'real-1', template: SENSOR_TEMPLATE_ID, simulated: false });
  });
  afterAll(() => host.stop());

  it('stores, patches and removes a device attestation of each type', async () => {
    expect((await expectSpec(404, 'Devices_GetAttestation', 'GET', '/devices/sensor-1/attestation')).error).toMatchObject({ code: 'NotFound' });

    const symmetric = { type: 'symmetricKey', symmetricKey: { primaryKey: key(1), secondaryKey: key(2) } };
    expect(await expectSpec(200, 'Devices_CreateAttestation', 'PUT', '/devices/sensor-1/attestation', symmetric)).toEqual(symmetric);
    expect(await expectSpec(200, 'Devices_GetAttestation', 'GET', '/devices/sensor-1/attestation')).toEqual(symmetric);
    const patched = await expectSpec(200, 'Devices_UpdateAttestation', 'PATCH', '/devices/sensor-1/attestation', { symmetricKey: { secondaryKey: key(3) } });
    expect(patched).toEqual({ type: 'symmetricKey', symmetricKey: { primaryKey: key(1), secondaryKey: key(3) } });

    const x509 = await expectSpec(200, 'Devices_CreateAttestation', 'PUT', '/devices/sensor-1/attestation', {
      type: 'x509',
      x509: { clientCertificates: { primary: { certificate: Buffer.from(CERTIFICATE).toString('base64') }, secondary: { certificate: CERTIFICATE } } },
    });
    expect(x509).toMatchObject({
      type: 'x509',
      x509: { clientCertificates: { primary: { info: { sha1Thumbprint: CERTIFICATE_THUMBPRINT } }, secondary: { info: { sha1Thumbprint: CERTIFICATE_THUMBPRINT } } } },
    });

    const tpm = { type: 'tpm', tpm: { endorsementKey: key(7) } };
    expect(await expectSpec(200, 'Devices_CreateAttestation', 'PUT', '/devices/sensor-1/attestation', tpm)).toEqual(tpm);

    await expectSpec(204, 'Devices_RemoveAttestation', 'DELETE', '/devices/sensor-1/attestation');
    await expectSpec(404, 'Devices_GetAttestation', 'GET', '/devices/sensor-1/attestation');
    await expectSpec(404, 'Devices_RemoveAttestation', 'DELETE', '/devices/sensor-1/attestation');
  });

  it('refuses attestations that DPS would refuse, with 422 naming the field', async () => {
    for (const [body, field] of [
      [{ type: 'symmetricKey', symmetricKey: { primaryKey: 'not base64!', secondaryKey: key(2) } }, 'primaryKey'],
      [{ type: 'symmetricKey', symmetricKey: { primaryKey: key(1), secondaryKey: 'c2hvcnQ=' } }, 'secondaryKey'],
      [{ type: 'x509', x509: { clientCertificates: { primary: { certificate: 'bm90IGEgY2VydGlmaWNhdGU=' } } } }, 'certificate'],
      [{ type: 'x509', x509: {} }, 'primary'],
      [{ type: 'password', password: 'hunter2' }, 'type'],
      [{ type: 'symmetricKey' }, 'symmetricKey'],
    ] as const) {
      const answer = await expectSpec(422, 'Devices_CreateAttestation', 'PUT', '/devices/sensor-2/attestation', body);
      expect((answer.error as Json).message, JSON.stringify(body)).toContain(field);
    }
    await expectSpec(404, 'Devices_GetAttestation', 'GET', '/devices/sensor-2/attestation');
    await expectSpec(404, 'Devices_CreateAttestation', 'PUT', '/devices/no-such-device/attestation', { type: 'tpm', tpm: { endorsementKey: key(1) } });
    await expectSpec(404, 'Devices_UpdateAttestation', 'PATCH', '/devices/sensor-2/attestation', { type: 'tpm' });
  });

  it('gives every device stable DPS credentials, and its own attestation when it has one', async () => {
    const first = await expectSpec(200, 'Devices_GetCredentials', 'GET', '/devices/sensor-2/credentials');
    expect(first.idScope).toMatch(/^0ne[0-9A-F]{8}$/);
    const keys = first.symmetricKey as { primaryKey: string; secondaryKey: string };
    expect(Buffer.from(keys.primaryKey, 'base64')).toHaveLength(32);
    expect(keys.primaryKey).not.toBe(keys.secondaryKey);
    expect(await expectSpec(200, 'Devices_GetCredentials', 'GET', '/devices/sensor-2/credentials')).toEqual(first);
    const other = await expectSpec(200, 'Devices_GetCredentials', 'GET', '/devices/child-1/credentials');
    expect(other.idScope).toBe(first.idScope);
    expect((other.symmetricKey as Json).primaryKey).not.toBe(keys.primaryKey);

    const own = { primaryKey: key(9), secondaryKey: key(10) };
    await central.expect(200, 'PUT', '/devices/child-2/attestation', { type: 'symmetricKey', symmetricKey: own });
    expect(await expectSpec(200, 'Devices_GetCredentials', 'GET', '/devices/child-2/credentials')).toEqual({ idScope: first.idScope, symmetricKey: own });
    await central.expect(204, 'DELETE', '/devices/child-2/attestation');
    await expectSpec(404, 'Devices_GetCredentials', 'GET', '/devices/no-such-device/credentials');
  });

  it('links a gateway to downstream devices and lists each link for both ends', async () => {
    const link = await expectSpec(200, 'Devices_CreateRelationship', 'PUT', '/devices/gateway-1/relationships/rel-1', { target: 'child-1' });
    expect(link).toEqual({ id: 'rel-1', source: 'gateway-1', target: 'child-1' });
    await expectSpec(200, 'Devices_CreateRelationship', 'PUT', '/devices/gateway-1/relationships/rel-2', { source: 'gateway-1', target: 'child-2' });

    const gateway = await expectSpec(200, 'Devices_ListRelationships', 'GET', '/devices/gateway-1/relationships');
    expect(gateway.value).toEqual([link, { id: 'rel-2', source: 'gateway-1', target: 'child-2' }]);
    expect((await expectSpec(200, 'Devices_ListRelationships', 'GET', '/devices/child-1/relationships')).value).toEqual([link]);
    expect(await expectSpec(200, 'Devices_GetRelationship', 'GET', '/devices/child-1/relationships/rel-1')).toEqual(link);

    const moved = await expectSpec(200, 'Devices_UpdateRelationship', 'PATCH', '/devices/gateway-1/relationships/rel-1', { target: 'sensor-1' });
    expect(moved).toEqual({ id: 'rel-1', source: 'gateway-1', target: 'sensor-1' });
    expect((await expectSpec(200, 'Devices_ListRelationships', 'GET', '/devices/child-1/relationships')).value).toEqual([]);

    for (const [path, body] of [
      ['/devices/gateway-1/relationships/rel-3', { target: 'no-such-device' }],
      ['/devices/gateway-1/relationships/rel-3', { source: 'child-1', target: 'child-2' }],
      ['/devices/gateway-1/relationships/rel-3', { source: 'gateway-1' }],
      ['/devices/gateway-1/relationships/rel-3', { target: 'gateway-1' }],
      ['/devices/gateway-1/relationships/bad%20id', { target: 'child-1' }],
    ] as const) {
      await expectSpec(422, 'Devices_CreateRelationship', 'PUT', path, body);
    }
    await expectSpec(404, 'Devices_GetRelationship', 'GET', '/devices/gateway-1/relationships/rel-3');

    await expectSpec(204, 'Devices_RemoveRelationship', 'DELETE', '/devices/sensor-1/relationships/rel-1');
    await expectSpec(204, 'Devices_RemoveRelationship', 'DELETE', '/devices/gateway-1/relationships/rel-2');
    expect((await expectSpec(200, 'Devices_ListRelationships', 'GET', '/devices/gateway-1/relationships')).value).toEqual([]);
    await expectSpec(404, 'Devices_RemoveRelationship', 'DELETE', '/devices/gateway-1/relationships/rel-2');
  });

  it('drops a deleted device attestation and relationships, so a device created again with its id starts clean', async () => {
    await central.expect(200, 'PUT', '/devices/short-lived', { template: SENSOR_TEMPLATE_ID, simulated: true });
    await central.expect(200, 'PUT', '/devices/short-lived/attestation', { type: 'tpm', tpm: { endorsementKey: key(4) } });
    await central.expect(200, 'PUT', '/devices/short-lived/relationships/up', { target: 'sensor-2' });
    await central.expect(204, 'DELETE', '/devices/short-lived');
    await central.expect(200, 'PUT', '/devices/short-lived', { template: SENSOR_TEMPLATE_ID, simulated: true });
    await expectSpec(404, 'Devices_GetAttestation', 'GET', '/devices/short-lived/attestation');
    expect((await expectSpec(200, 'Devices_ListRelationships', 'GET', '/devices/short-lived/relationships')).value).toEqual([]);
  });

  it('lists no modules and answers every module operation with 404 module not found', async () => {
    expect(await expectSpec(200, 'Devices_ListModules', 'GET', '/devices/sensor-1/modules')).toEqual({ value: [] });
    await expectSpec(404, 'Devices_ListModules', 'GET', '/devices/no-such-device/modules');
    for (const [operationId, method, path, body] of [
      ['Devices_GetModuleProperties', 'GET', '/devices/sensor-1/modules/edgeAgent/properties'],
      ['Devices_UpdateModuleProperties', 'PATCH', '/devices/sensor-1/modules/edgeAgent/properties', { a: 1 }],
      ['Devices_ListModuleComponents', 'GET', '/devices/sensor-1/modules/edgeAgent/components'],
      ['Devices_GetModuleTelemetryValue', 'GET', '/devices/sensor-1/modules/edgeAgent/telemetry/temperature'],
      ['Devices_RunModuleComponentCommand', 'POST', '/devices/sensor-1/modules/edgeAgent/components/c/commands/reboot', { request: {} }],
    ] as const) {
      const answer = await expectSpec(404, operationId, method, path, body);
      expect((answer.error as Json).message).toContain('Module "edgeAgent"');
    }
  });

  it('reports simulated telemetry that follows simulated time', async () => {
    const reading = await expectSpec(200, 'Devices_GetTelemetryValue', 'GET', '/devices/sensor-1/telemetry/temperature');
    expect(reading.value).toBeGreaterThanOrEqual(15);
    expect(reading.value).toBeLessThanOrEqual(30);
    expect(Date.parse(reading.timestamp as string) % 60_000).toBe(0);
    expect(await expectSpec(200, 'Devices_GetTelemetryValue', 'GET', '/devices/sensor-1/telemetry/temperature')).toEqual(reading);
    expect(['eco', 'boost']).toContain((await expectSpec(200, 'Devices_GetTelemetryValue', 'GET', '/devices/sensor-1/telemetry/mode')).value);

    const level = await expectSpec(200, 'Devices_GetComponentTelemetryValue', 'GET', '/devices/sensor-1/components/battery/telemetry/level');
    expect(level.value).toEqual({ percent: expect.any(Number), charging: expect.any(Boolean) });

    const advance = await host.call('POST', '/_fleetlab/clock/advance', { ms: 20 * 60_000 });
    expect(advance.status).toBe(200);
    const later = await expectSpec(200, 'Devices_GetTelemetryValue', 'GET', '/devices/sensor-1/telemetry/temperature');
    expect(Date.parse(later.timestamp as string) - Date.parse(reading.timestamp as string)).toBeGreaterThanOrEqual(20 * 60_000);
    expect(later.value).not.toBe(reading.value);

    expect(await expectSpec(200, 'Devices_GetTelemetryValue', 'GET', '/devices/real-1/telemetry/temperature')).toEqual({});
    await expectSpec(404, 'Devices_GetTelemetryValue', 'GET', '/devices/sensor-1/telemetry/firmware');
    await expectSpec(404, 'Devices_GetComponentTelemetryValue', 'GET', '/devices/sensor-1/components/battery/telemetry/temperature');
    await expectSpec(404, 'Devices_GetComponentTelemetryValue', 'GET', '/devices/sensor-1/components/engine/telemetry/level');
  });
});

describe('device credentials across a restart', () => {
  it('are the same when the emulator restarts on the same data, without storing keys per device', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-credentials-'));
    const read = async () => {
      const host = await startTestHost({ dataDir });
      try {
        const central = new CentralClient(host, '2022-07-31');
        await central.expect(200, 'PUT', '/devices/keep-1', { simulated: true });
        return await central.expect(200, 'GET', '/devices/keep-1/credentials');
      } finally {
        await host.stop();
      }
    };
    try {
      const before = await read();
      expect(await read()).toEqual(before);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('operations of the emulated areas that Fleetlab does not implement', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(() => host.stop());

  it('answer 501 NotImplemented in the IoT Central error shape, after the usual request checks', async () => {
    const preview = new CentralClient(host, '2022-10-31-preview');
    const manifest = { id: 'm1', displayName: 'Manifest', data: {} };
    const answer = await preview.expect<{ error: Json }>(501, 'POST', '/devices/any-device/applyDeploymentManifest', manifest);
    expectMatchesSpec('2022-10-31-preview', 'Devices_ApplyManifest', 501, answer);
    expect(answer.error).toMatchObject({ code: 'NotImplemented', message: expect.stringContaining('Devices_ApplyManifest') });
    await preview.expect(422, 'POST', '/devices/any-device/applyDeploymentManifest', { displayName: 42 });
    // The stable version does not define the operation at all.
    await new CentralClient(host, '2022-07-31').expect(404, 'POST', '/devices/any-device/applyDeploymentManifest', manifest);
    // Areas Fleetlab does not emulate keep answering 404.
    await preview.expect(404, 'GET', '/dashboards');
  });
});
