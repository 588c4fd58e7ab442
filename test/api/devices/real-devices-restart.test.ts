import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CentralClient, THERMOSTAT_ID, THERMOSTAT_TEMPLATE, type Json } from '../central/job-fixtures.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { expectMatchesSpec } from '../../helpers/spec.js';
import { connectDevice, deriveDeviceKey, provision, type DeviceEndpoints, type DeviceTarget, type SdkDevice } from '../../helpers/iot-hub-device.js';

const VERSION = '2022-07-31';

/** What a real device did survives a restart: its registration, its twin, and a job still waiting for it. */
describe('real devices across a restart', () => {
  let dataDir: string;
  let host: TestHost | undefined;
  let device: SdkDevice | undefined;
  afterAll(async () => {
    await device?.close();
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    const started = await startTestHost({ dataDir, simulatorThreads: 1, mqtt: { port: 0 } });
    const info = (await (await started.call('GET', '/_fleetlab/info')).json()) as { devices: DeviceEndpoints };
    const target: DeviceTarget = { endpoints: info.devices, ca: await (await started.call('GET', '/_fleetlab/ca.pem')).text() };
    return { host: started, central: new CentralClient(started, VERSION), target };
  };

  it('keeps the registration and reported properties, and a job waiting for the device completes after the restart', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-real-restart-'));
    const first = await start();
    host = first.host;
    const groups = await first.central.expect<{ value: { attestation: { symmetricKey: { primaryKey: string } } }[] }>(200, 'GET', '/enrollmentGroups');
    const key = deriveDeviceKey(groups.value[0]!.attestation.symmetricKey.primaryKey, 'sleeper');
    await first.central.expect(200, 'PUT', `/deviceTemplates/${THERMOSTAT_ID}`, THERMOSTAT_TEMPLATE);
    const { assignedHub } = await provision(first.target, 'sleeper', key, THERMOSTAT_ID);
    device = await connectDevice(first.target, assignedHub, 'sleeper', key, {});
    await new Promise<void>((resolve, reject) => device!.twin.properties.reported.update({ firmware: '1.2.3' }, (error?: Error) => (error ? reject(error) : resolve())));
    await device.close();
    device = undefined;
    await first.central.expect(200, 'PUT', '/deviceGroups/sleepers', { displayName: 'sleepers', filter: 'SELECT * FROM devices WHERE $id = "sleeper"' });
    await first.central.expect(200, 'PUT', '/jobs/wake-up', { group: 'sleepers', data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 17 }] });
    await first.central.waitForJob('wake-up', (job) => job.status === 'running');
    await host.close();
    host = undefined;

    const second = await start();
    host = second.host;
    expect(await second.central.expect(200, 'GET', '/devices/sleeper')).toMatchObject({ provisioned: true, simulated: false, template: THERMOSTAT_ID });
    const properties = await second.central.expect<Json>(200, 'GET', '/devices/sleeper/properties');
    expectMatchesSpec(VERSION, 'Devices_GetProperties', 200, properties);
    expect(properties).toMatchObject({ firmware: '1.2.3', $metadata: { firmware: { lastUpdateTime: expect.any(String) } } });
    expect((properties.$metadata as Record<string, Json>).firmware).not.toHaveProperty('desiredVersion');
    device = await connectDevice(second.target, second.target.endpoints.hubHost, 'sleeper', key, { ack: { ac: 200, ad: 'ok' } });
    expect(await second.central.waitForJob('wake-up')).toMatchObject({ status: 'complete' });
    expect(device.twin.properties.desired.targetTemperature).toBe(17);
  });
});
