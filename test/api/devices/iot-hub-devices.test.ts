import deviceSdk from 'azure-iot-device';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CentralClient, THERMOSTAT_ID, THERMOSTAT_TEMPLATE, type Json } from '../central/job-fixtures.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { answerMethod, connectDevice, deriveDeviceKey, provision, sasToken, type DeviceEndpoints, type DeviceTarget, type SdkDevice } from '../../helpers/iot-hub-device.js';
import { expectMatchesSpec } from '../../helpers/spec.js';

/** How long an asynchronous effect may take on a busy machine before the test gives up. */
const WAIT = { timeout: 10_000 };

const VERSION = '2022-07-31';
const CONTROLLER_ID = 'dtmi:fleetlab:TemperatureController;1';
/** An IoT Plug and Play model with a component, as the SDK samples' temperature controller has. */
const CONTROLLER_TEMPLATE = {
  '@type': ['ModelDefinition', 'DeviceModel'],
  displayName: 'Temperature controller',
  capabilityModel: {
    '@id': CONTROLLER_ID,
    '@type': 'Interface',
    contents: [
      { '@type': 'Telemetry', name: 'workingSet', schema: 'double' },
      {
        '@type': 'Component',
        name: 'thermostat1',
        schema: {
          '@id': 'dtmi:com:example:Thermostat;1',
          '@type': 'Interface',
          contents: [
            { '@type': 'Property', name: 'targetTemperature', schema: 'double', writable: true },
            { '@type': 'Telemetry', name: 'temperature', schema: 'double' },
            { '@type': 'Command', name: 'reboot' },
          ],
        },
      },
    ],
  },
};

/** Real devices over MQTT, driven by Microsoft's device and provisioning SDKs, taking part in IoT Central jobs. */
describe('real devices with the Azure IoT device SDK', () => {
  let host: TestHost;
  let central: CentralClient;
  let endpoints: DeviceEndpoints;
  let ca: string;
  let groupKey: string;
  const devices = new Map<string, SdkDevice>();

  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1, https: { source: 'local-ca' }, mqtt: { port: 0 } });
    // Node's fetch must trust the emulator's CA too: the test host is reached over HTTPS.
    central = new CentralClient(host, VERSION);
    const info = (await (await host.call('GET', '/_fleetlab/info')).json()) as { devices: DeviceEndpoints };
    endpoints = info.devices;
    ca = await (await host.call('GET', '/_fleetlab/ca.pem')).text();
    const groups = await central.expect<{ value: { id: string; attestation: { symmetricKey: { primaryKey: string } } }[] }>(200, 'GET', '/enrollmentGroups');
    expectMatchesSpec(VERSION, 'EnrollmentGroups_List', 200, groups);
    groupKey = groups.value.find((group) => group.id === 'SAS-IoT-Devices')!.attestation.symmetricKey.primaryKey;
    expectMatchesSpec(VERSION, 'EnrollmentGroups_Get', 200, await central.expect(200, 'GET', '/enrollmentGroups/SAS-IoT-Devices'));
    await central.expect(404, 'GET', '/enrollmentGroups/SAS-IoT-Edge-Devices');
    await central.expect(200, 'PUT', `/deviceTemplates/${THERMOSTAT_ID}`, THERMOSTAT_TEMPLATE);
  });
  afterAll(async () => {
    await Promise.allSettled([...devices.values()].map((device) => device.close()));
    await host?.stop();
  });

  it('tells devices where to connect in GET /_fleetlab/info', () => {
    expect(endpoints).toEqual({
      idScope: expect.stringMatching(/^0ne[0-9A-F]{8}$/),
      provisioningHost: `localhost:${host.mqtt!.port}`,
      hubHost: `localhost:${host.mqtt!.port}`,
      mqttPort: host.mqtt!.port,
      websocketPath: '/$iothub/websocket',
      caCertificate: `${host.url}/_fleetlab/ca.pem`,
    });
  });

  async function joinFleet(target: DeviceTarget, id: string, behaviour: { ack?: { ac: number; ad: string }; method?: { status: number; payload: Json } }): Promise<SdkDevice> {
    const key = deriveDeviceKey(groupKey, id);
    const { assignedHub, deviceId } = await provision(target, id, key, THERMOSTAT_ID);
    expect({ assignedHub, deviceId }).toEqual({ assignedHub: endpoints.hubHost, deviceId: id });
    const device = await connectDevice(target, assignedHub, deviceId, key, behaviour, THERMOSTAT_ID);
    if (behaviour.method) answerMethod(device, 'getMaxMinReport', behaviour.method);
    devices.set(id, device);
    return device;
  }

  async function group(id: string, prefix: string): Promise<void> {
    await central.expect(200, 'PUT', `/deviceGroups/${id}`, { displayName: id, filter: `SELECT * FROM devices WHERE startswith($id, "${prefix}")` });
  }

  /** Each device's status as IoT Central lists it, with the error the UI's job view shows (the spec's list has none). */
  async function jobDevices(jobId: string): Promise<Record<string, Json>> {
    const list = await central.expect<{ value: Json[] }>(200, 'GET', `/jobs/${jobId}/devices`);
    expectMatchesSpec(VERSION, 'Jobs_GetDevices', 200, list);
    const view = (await (await host.call('GET', `/_fleetlab/jobs/${jobId}/devices`)).json()) as { devices: { id: string; error?: string }[] };
    const errors = new Map(view.devices.map((entry) => [entry.id, entry.error]));
    return Object.fromEntries(list.value.map((entry) => [entry.id as string, { ...entry, ...(errors.get(entry.id as string) && { error: errors.get(entry.id as string) }) }]));
  }

  for (const transport of ['tls', 'websocket'] as const) {
    describe(`over MQTT/${transport === 'tls' ? 'TLS' : 'WebSockets'}`, () => {
      const target = (): DeviceTarget => ({ endpoints, ca, ...(transport === 'websocket' && { websocketPort: Number(new URL(host.url).port) }) });
      const prefix = `${transport}-`;

      it('provisions through DPS with the group key: the device exists, provisioned, with the template of its model id', async () => {
        await joinFleet(target(), `${prefix}ok`, { ack: { ac: 200, ad: 'applied' }, method: { status: 200, payload: { max: 30 } } });
        await joinFleet(target(), `${prefix}bad`, { ack: { ac: 500, ad: 'heater failed' }, method: { status: 500, payload: { error: 'sensor offline' } } });
        const device = await central.expect(200, 'GET', `/devices/${prefix}ok`);
        expectMatchesSpec(VERSION, 'Devices_Get', 200, device);
        expect(device).toMatchObject({ id: `${prefix}ok`, template: THERMOSTAT_ID, simulated: false, provisioned: true, enabled: true });
        const connected = (await (await host.call('GET', '/_fleetlab/connected-devices')).json()) as { value: Json[] };
        expect(connected.value).toEqual(expect.arrayContaining([expect.objectContaining({ deviceId: `${prefix}ok`, transport })]));
      });

      it('a property job writes the desired property; ac 200 completes the device, ac 500 fails it with its ad', async () => {
        await group(`${prefix}group`, prefix);
        const jobId = `${prefix}property-job`;
        await central.expect(200, 'PUT', `/jobs/${jobId}`, { displayName: 'Set target', group: `${prefix}group`, data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 22.5 }] });
        const job = await central.waitForJob(jobId);
        expect(job).toMatchObject({ status: 'complete' });
        expect(await jobDevices(jobId)).toEqual({
          [`${prefix}ok`]: { id: `${prefix}ok`, status: 'completed' },
          [`${prefix}bad`]: { id: `${prefix}bad`, status: 'failed', error: 'heater failed' },
        });
        expect(devices.get(`${prefix}ok`)!.desired.at(-1)).toMatchObject({ targetTemperature: 22.5 });
        expect(devices.get(`${prefix}bad`)!.desired.at(-1)).toMatchObject({ targetTemperature: 22.5 });
        const properties = await central.expect<Json>(200, 'GET', `/devices/${prefix}ok/properties`);
        expectMatchesSpec(VERSION, 'Devices_GetProperties', 200, properties);
        expect(properties.targetTemperature).toBe(22.5);
      });

      it('a command job invokes the direct method; the status decides', async () => {
        const jobId = `${prefix}command-job`;
        await central.expect(200, 'PUT', `/jobs/${jobId}`, {
          displayName: 'Report',
          group: `${prefix}group`,
          data: [{ type: 'command', target: THERMOSTAT_ID, path: 'getMaxMinReport', value: '2026-01-01T00:00:00.000Z' }],
        });
        expect(await central.waitForJob(jobId)).toMatchObject({ status: 'complete' });
        expect(await jobDevices(jobId)).toEqual({
          [`${prefix}ok`]: { id: `${prefix}ok`, status: 'completed' },
          [`${prefix}bad`]: { id: `${prefix}bad`, status: 'failed', error: 'sensor offline' },
        });
        expect(devices.get(`${prefix}ok`)!.methods).toEqual([{ name: 'getMaxMinReport', payload: '2026-01-01T00:00:00.000Z' }]);
      });
    });
  }

  it('speaks IoT Plug and Play: component properties and their acks, component*command, component telemetry', async () => {
    const id = 'controller-1';
    const key = deriveDeviceKey(groupKey, id);
    await central.expect(200, 'PUT', `/deviceTemplates/${encodeURIComponent(CONTROLLER_ID)}`, CONTROLLER_TEMPLATE);
    const { assignedHub } = await provision({ endpoints, ca }, id, key, CONTROLLER_ID);
    const device = await connectDevice({ endpoints, ca }, assignedHub, id, key, { ack: { ac: 200, ad: 'applied' } }, CONTROLLER_ID);
    devices.set(id, device);
    answerMethod(device, 'thermostat1*reboot', { status: 202, payload: { rebooting: true } });
    expect(await central.expect(200, 'GET', `/devices/${id}`)).toMatchObject({ template: CONTROLLER_ID, provisioned: true });
    await central.expect(200, 'PUT', '/deviceGroups/controllers', { displayName: 'controllers', filter: `SELECT * FROM devices WHERE $id = "${id}"` });
    await central.expect(200, 'PUT', '/jobs/controller-jobs', {
      group: 'controllers',
      data: [
        { type: 'property', target: CONTROLLER_ID, path: 'thermostat1.targetTemperature', value: 18 },
        { type: 'command', target: CONTROLLER_ID, path: 'thermostat1.reboot' },
      ],
    });
    expect(await central.waitForJob('controller-jobs')).toMatchObject({ status: 'complete' });
    expect(await jobDevices('controller-jobs')).toEqual({ [id]: { id, status: 'completed' } });
    expect(device.desired.at(-1)).toMatchObject({ thermostat1: { __t: 'c', targetTemperature: 18 } });
    expect(device.methods).toEqual([{ name: 'thermostat1*reboot', payload: null }]);
    const component = await central.expect<Json>(200, 'GET', `/devices/${id}/components/thermostat1/properties`);
    expectMatchesSpec(VERSION, 'Devices_GetComponentProperties', 200, component);
    expect(component.targetTemperature).toBe(18);

    // The devices API reaches the real device too: a property write becomes a desired property it acks, a command a direct method.
    const written = await central.expect<Json>(202, 'PATCH', `/devices/${id}/components/thermostat1/properties`, { targetTemperature: 25 });
    expectMatchesSpec(VERSION, 'Devices_UpdateComponentProperties', 202, written);
    await vi.waitFor(async () => expect(await central.expect<Json>(200, 'GET', `/devices/${id}/components/thermostat1/properties`)).toMatchObject({ targetTemperature: 25 }), WAIT);
    expect(device.desired.at(-1)).toMatchObject({ thermostat1: { __t: 'c', targetTemperature: 25 } });
    const ran = await central.expect<Json>(201, 'POST', `/devices/${id}/components/thermostat1/commands/reboot`, {});
    expectMatchesSpec(VERSION, 'Devices_RunComponentCommand', 201, ran);
    expect(ran).toMatchObject({ responseCode: 202, response: { rebooting: true } });
    expect(device.methods).toHaveLength(2);
    const history = await central.expect<{ value: Json[] }>(200, 'GET', `/devices/${id}/components/thermostat1/commands/reboot`);
    expect(history.value).toEqual([expect.objectContaining({ id: ran.id, responseCode: 202 })]);

    const reading = new deviceSdk.Message(JSON.stringify({ temperature: 21.5 }));
    reading.properties.add('dt-subject', 'thermostat1');
    await device.client.sendEvent(reading);
    await vi.waitFor(async () => {
      const telemetry = await central.expect<Json>(200, 'GET', `/devices/${id}/components/thermostat1/telemetry/temperature`);
      expect(telemetry).toMatchObject({ value: 21.5 });
    }, WAIT);
  });

  it("provisions with the device's own key from GET /api/devices/{id}/credentials, and takes the template from the CONNECT's model-id", async () => {
    const id = 'own-key';
    await central.expect(200, 'PUT', `/devices/${id}`, { displayName: 'Own key', simulated: false });
    const ownKey = Buffer.alloc(32, 7).toString('base64');
    await central.expect(200, 'PUT', `/devices/${id}/attestation`, { type: 'symmetricKey', symmetricKey: { primaryKey: ownKey, secondaryKey: ownKey } });
    const credentials = await central.expect<{ idScope: string; symmetricKey: { primaryKey: string } }>(200, 'GET', `/devices/${id}/credentials`);
    expect(credentials).toMatchObject({ idScope: endpoints.idScope, symmetricKey: { primaryKey: ownKey } });
    await expect(provision({ endpoints, ca }, id, deriveDeviceKey(groupKey, id))).rejects.toThrow();
    const { assignedHub } = await provision({ endpoints, ca }, id, credentials.symmetricKey.primaryKey);
    const device = await connectDevice({ endpoints, ca }, assignedHub, id, credentials.symmetricKey.primaryKey, {}, THERMOSTAT_ID);
    devices.set(id, device);
    expect(await central.expect(200, 'GET', `/devices/${id}`)).toMatchObject({ provisioned: true, template: THERMOSTAT_ID });
  });

  it('refuses a device whose SAS token is signed with the wrong key', async () => {
    const id = 'wrong-key';
    const key = deriveDeviceKey(groupKey, id);
    await provision({ endpoints, ca }, id, key);
    const wrong = deriveDeviceKey(groupKey, 'someone-else');
    await expect(connectDevice({ endpoints, ca }, endpoints.hubHost, id, wrong, {})).rejects.toThrow(/Not authorized/);
    await expect(provision({ endpoints, ca }, 'intruder', wrong)).rejects.toThrow();
  });

  it('refuses a token signed with the device key for another hub, as IoT Hub does', async () => {
    const id = 'other-hub-token';
    const key = deriveDeviceKey(groupKey, id);
    await provision({ endpoints, ca }, id, key);
    const sasFor = (resource: string) => sasToken(resource, key, Math.floor(Date.now() / 1000) + 3600);
    const connectWith = (password: string) =>
      mqtt.connectAsync(`mqtts://127.0.0.1:${endpoints.mqttPort}`, {
        ca, clientId: id, username: `${endpoints.hubHost}/${id}/?api-version=2021-04-12`, password, protocolVersion: 4, reconnectPeriod: 0,
      });
    await expect(connectWith(sasFor(`another-hub.azure-devices.net/devices/${id}`))).rejects.toThrow(/Not authorized/);
    const own = await connectWith(sasFor(`${endpoints.hubHost.toUpperCase()}/devices/${id}`));
    await own.endAsync();
  });
});
