import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CentralClient, setSimulation, setTemplateBehavior, THERMOSTAT_ID, THERMOSTAT_TEMPLATE, type Json } from '../central/job-fixtures.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { answerMethod, connectDevice, deriveDeviceKey, provision, type DeviceEndpoints, type DeviceTarget, type SdkDevice } from '../../helpers/iot-hub-device.js';

const VERSION = '2022-07-31';
const FLEET = 100_000;

/** Real SDK devices in the same jobs as simulated ones: offline real devices, and batches and thresholds counting both. */
describe('real devices in jobs with simulated ones', () => {
  let host: TestHost;
  let central: CentralClient;
  let target: DeviceTarget;
  let groupKey: string;
  const devices = new Map<string, SdkDevice>();

  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1, mqtt: { port: 0 } });
    central = new CentralClient(host, VERSION);
    const info = (await (await host.call('GET', '/_fleetlab/info')).json()) as { devices: DeviceEndpoints };
    target = { endpoints: info.devices, ca: await (await host.call('GET', '/_fleetlab/ca.pem')).text() };
    const groups = await central.expect<{ value: { attestation: { symmetricKey: { primaryKey: string } } }[] }>(200, 'GET', '/enrollmentGroups');
    groupKey = groups.value[0]!.attestation.symmetricKey.primaryKey;
    await central.expect(200, 'PUT', `/deviceTemplates/${THERMOSTAT_ID}`, THERMOSTAT_TEMPLATE);
  });
  afterAll(async () => {
    await Promise.allSettled([...devices.values()].map((device) => device.close()));
    await host?.stop();
  });

  async function join(id: string, ack: { ac: number; ad: string }): Promise<SdkDevice> {
    const key = deriveDeviceKey(groupKey, id);
    const { assignedHub } = await provision(target, id, key, THERMOSTAT_ID);
    const device = await connectDevice(target, assignedHub, id, key, { ack }, THERMOSTAT_ID);
    devices.set(id, device);
    return device;
  }

  async function failedDevices(jobId: string): Promise<{ id: string; error?: string }[]> {
    const view = (await (await host.call('GET', `/_fleetlab/jobs/${jobId}/devices?status=failed`)).json()) as { devices: { id: string; error?: string }[] };
    return view.devices;
  }

  it('a provisioned device that is not connected is offline: its command fails after the command timeout', async () => {
    const id = 'asleep';
    const key = deriveDeviceKey(groupKey, id);
    await provision(target, id, key, THERMOSTAT_ID);
    expect((await host.call('PUT', `/_fleetlab/devices/${id}/behavior`, { commandTimeoutMs: 300 })).status).toBe(200);
    await central.expect(200, 'PUT', '/deviceGroups/asleep', { displayName: 'asleep', filter: 'SELECT * FROM devices WHERE $id = "asleep"' });
    await central.expect(200, 'PUT', '/jobs/asleep-command', { group: 'asleep', data: [{ type: 'command', target: THERMOSTAT_ID, path: 'getMaxMinReport', value: '2026-01-01T00:00:00.000Z' }] });
    expect(await central.waitForJob('asleep-command')).toMatchObject({ status: 'complete' });
    expect(await failedDevices('asleep-command')).toEqual([{ id, status: 'failed', error: 'Could not connect to device in order to send command.' }]);
  });

  it('a command through the devices API waits connectionTimeout seconds for a device that is away', async () => {
    const id = 'asleep';
    const body = { request: '2026-01-01T00:00:00.000Z' };
    const refused = await central.call('POST', `/devices/${id}/commands/getMaxMinReport`, body);
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe('Could not connect to device in order to send command.');
    const answered = central.expect<Json>(201, 'POST', `/devices/${id}/commands/getMaxMinReport`, { ...body, connectionTimeout: 20 });
    const device = await connectDevice(target, target.endpoints.hubHost, id, deriveDeviceKey(groupKey, id), {});
    devices.set(id, device);
    answerMethod(device, 'getMaxMinReport', { status: 200, payload: { max: 31 } });
    expect(await answered).toMatchObject({ responseCode: 200, response: { max: 31 }, connectionTimeout: 20 });
  });

  it('a property written while the device is away is taken from its twin when it connects, and completes the job', async () => {
    const id = 'late';
    const key = deriveDeviceKey(groupKey, id);
    await provision(target, id, key, THERMOSTAT_ID);
    await central.expect(200, 'PUT', '/deviceGroups/late', { displayName: 'late', filter: 'SELECT * FROM devices WHERE $id = "late"' });
    await central.expect(200, 'PUT', '/jobs/late-property', { group: 'late', data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 19 }] });
    await central.waitForJob('late-property', (job) => job.status === 'running');
    const device = await connectDevice(target, target.endpoints.hubHost, id, key, { ack: { ac: 200, ad: 'ok' } }, THERMOSTAT_ID);
    devices.set(id, device);
    expect(await central.waitForJob('late-property')).toMatchObject({ status: 'complete' });
    const listed = await central.expect<{ value: Json[] }>(200, 'GET', '/jobs/late-property/devices');
    expect(listed.value).toEqual([{ id, status: 'completed' }]);
  });

  it(`runs one job on ${FLEET.toLocaleString('en')} simulated devices and 3 SDK devices; the real devices' failures trip the threshold`, async () => {
    await setSimulation(host, { timeScale: 0 });
    await setTemplateBehavior(host, THERMOSTAT_ID, { propertyFailureRate: 0, commandFailureRate: 0, offlineRate: 0 });
    expect((await host.call('POST', '/_fleetlab/fleet', { template: THERMOSTAT_ID, count: FLEET, idPrefix: 'sim' })).status).toBe(201);
    await join('mixed-ok', { ac: 200, ad: 'applied' });
    await join('mixed-hot', { ac: 500, ad: 'heater failed' });
    await join('mixed-cold', { ac: 400, ad: 'out of range' });
    await central.expect(200, 'PUT', '/deviceGroups/mixed', { displayName: 'mixed', filter: 'SELECT * FROM devices WHERE startswith($id, "sim-") OR startswith($id, "mixed-")' });
    await central.expect(200, 'PUT', '/jobs/mixed', {
      group: 'mixed',
      batch: { type: 'percentage', value: 10 },
      cancellationThreshold: { type: 'number', value: 1, batch: false },
      data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 21 }],
    });
    const job = await central.waitForJob('mixed', undefined, 60_000);
    expect(job.status).toBe('cancelled');
    expect((await failedDevices('mixed')).map(({ id, error }) => ({ id, error })).sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'mixed-cold', error: 'out of range' },
      { id: 'mixed-hot', error: 'heater failed' },
    ]);
    const counts = (await (await host.call('GET', '/_fleetlab/jobs/mixed/devices?status=completed&limit=1')).json()) as { total: number; matched: number };
    expect(counts.total).toBe(FLEET + 3);
    // The job stopped releasing batches when the real devices failed: some simulated devices never started.
    expect(counts.matched).toBeGreaterThan(0);
    expect(counts.matched).toBeLessThan(FLEET + 1);
  }, 90_000);
});
