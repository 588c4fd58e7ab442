import { IoTClient, CreateThingCommand, CreateJobCommand } from '@aws-sdk/client-iot';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AWS_CREDENTIALS } from '../../electron/api/aws/credentials.js';
import { THERMOSTAT_ID, THERMOSTAT_TEMPLATE } from '../api/central/job-fixtures.js';
import { issueCertificate, type DeviceCredentials } from '../helpers/aws-device.js';
import { buildDist } from '../helpers/emulator-process.js';
import { REGION } from './aws-requests.js';
import { eventually, expectAnswering, expectCall, startFuzzEmulator, type FuzzEmulator } from './fuzz-emulator.js';
import { fuzzParameters, fuzzTimeout } from './fuzz-settings.js';
import { closeClient, publishOrDropped, sendRawBytes, subscribeOrDropped, tryConnect } from './mqtt-clients.js';
import { sasToken, type DeviceEndpoints } from '../helpers/iot-hub-device.js';
import { mqttBytes } from './mqtt-packets.js';
import { trickyString } from './nasty-values.js';

const V = 'api-version=2022-07-31';
const DEVICE = 'fz-mqtt-device';
const THING = 'fz-mqtt-thing';
const HUB_API = 'api-version=2021-04-12';

describe('property-based fuzzing of the MQTT broker (plain TCP, and TLS for AWS IoT things)', () => {
  let emulator: FuzzEmulator;
  let plainPort: number;
  let endpoints: DeviceEndpoints;
  let deviceKey: string;
  let ca: string;
  let thing: DeviceCredentials;

  const hubUsername = (id: string) => `${endpoints.hubHost}/${id}/?${HUB_API}`;
  const validPassword = () => sasToken(`${endpoints.hubHost}/devices/${DEVICE}`, deviceKey, Math.floor(Date.now() / 1000) + 3600);
  const plainUrl = () => `mqtt://127.0.0.1:${plainPort}`;

  beforeAll(async () => {
    buildDist();
    emulator = await startFuzzEmulator(['--mqtt-plain']);
    plainPort = await eventually(async () => {
      const printed = Number(/plain MQTT on port (\d+)/.exec(emulator.serve.stdout())?.[1] ?? 0);
      expect(printed, 'the emulator printed its plain MQTT port').toBeGreaterThan(0);
      return printed;
    });
    endpoints = ((await expectCall(emulator, 200, 'GET', '/_fleetlab/info')) as { devices: DeviceEndpoints }).devices;
    ca = (await emulator.call('GET', '/_fleetlab/ca.pem')).body;
    await expectCall(emulator, 200, 'PUT', `/api/deviceTemplates/${THERMOSTAT_ID}?${V}`, THERMOSTAT_TEMPLATE);
    await expectCall(emulator, 200, 'PUT', `/api/devices/${DEVICE}?${V}`, { displayName: DEVICE, template: THERMOSTAT_ID, simulated: false });
    deviceKey = ((await expectCall(emulator, 200, 'GET', `/api/devices/${DEVICE}/credentials?${V}`)) as { symmetricKey: { primaryKey: string } }).symmetricKey.primaryKey;
    const iot = new IoTClient({ endpoint: `${emulator.url}/aws`, region: REGION, credentials: DEFAULT_AWS_CREDENTIALS, maxAttempts: 1 });
    await iot.send(new CreateThingCommand({ thingName: THING }));
    thing = await issueCertificate(iot, THING);
    await iot.send(new CreateJobCommand({ jobId: 'fz-mqtt-job', targets: [`arn:aws:iot:${REGION}:123456789012:thing/${THING}`], document: '{"op":"mqtt"}' }));
    iot.destroy();
  }, 60_000);
  afterAll(() => emulator?.stop());

  /** The property every run ends on: a device with a valid SAS still gets its CONNACK, and the API answers. */
  async function expectBrokerAnswering(): Promise<void> {
    const outcome = await tryConnect(plainUrl(), { clientId: DEVICE, username: hubUsername(DEVICE), password: validPassword(), protocolVersion: 4 });
    if (!outcome.connected) throw new Error(`a device with a valid SAS was refused: ${outcome.reason}`);
    await closeClient(outcome.client);
    await expectAnswering(emulator);
  }

  it('survives garbage bytes, truncated, oversized and out-of-order packets on the plain TCP port', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(mqttBytes, async (bytes) => {
        // A CONNACK (0x20) means the bytes reached the broker's protocol handling, not only its socket.
        if ((await sendRawBytes(plainPort, bytes))[0] === 0x20) answered++;
        await expectBrokerAnswering();
      }),
      fuzzParameters(60),
    );
    expect(answered, 'runs whose CONNECT the broker answered').toBeGreaterThan(0);
  }, fuzzTimeout(60_000));

  it('refuses CONNECTs with bad SAS tokens, wrong username formats and odd client ids, and keeps accepting good ones', async () => {
    const id = fc.oneof(fc.constantFrom(DEVICE, 'fz-unknown-device'), trickyString);
    const username = fc.oneof(
      id.map((name) => hubUsername(name)),
      id.map((name) => `${endpoints.idScope}/registrations/${name}/api-version=2019-03-31`),
      fc.tuple(trickyString, trickyString).map(([a, b]) => `${a}/${b}/?api-version=${a}`),
      trickyString,
      fc.constant(undefined),
    );
    const signedWithDeviceKey = sasToken(`${endpoints.hubHost}/devices/${DEVICE}`, deviceKey, 4_000_000_000);
    const password = fc.oneof(
      fc.constant(signedWithDeviceKey),
      fc.constant(sasToken(`another-hub.example/devices/${DEVICE}`, deviceKey, 4_000_000_000)),
      fc.constant(sasToken(`placeholder/devices/${DEVICE}`, Buffer.from('wrong key').toString('base64'), 4_000_000_000)),
      fc.constant('SharedAccessSignature sr=&sig=&se='),
      fc.constant('SharedAccessSignature sr=a&sig=b&se=1'),
      trickyString,
      fc.constant(undefined),
    );
    const attempt = fc.record({ clientId: id, username, password, protocolVersion: fc.constantFrom(3, 4, 5) as fc.Arbitrary<3 | 4 | 5> });
    await fc.assert(
      fc.asyncProperty(attempt, async (options) => {
        const outcome = await tryConnect(plainUrl(), { ...options, password: options.password === undefined ? undefined : Buffer.from(options.password), username: options.username });
        if (outcome.connected) {
          await closeClient(outcome.client);
          // Only a token for this hub and this device, signed with the device's own key, connects.
          if (options.password !== signedWithDeviceKey || options.clientId !== DEVICE || options.username !== hubUsername(DEVICE)) {
            throw new Error(`accepted a CONNECT with ${JSON.stringify(options)}`);
          }
        }
        await expectBrokerAnswering();
      }),
      fuzzParameters(60),
    );
  }, fuzzTimeout(60_000));

  const payload = fc.oneof(
    fc.constantFrom('{', '{"reported":', 'null', '[]', '{"status":"SUCCEEDED"}', '{"targetTemperature":"hot"}', '', '\u0000'),
    fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? 'null'),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
    fc.constant('z'.repeat(300_000)),
  );

  it('lets an authenticated IoT Hub device publish and subscribe anywhere, $iothub, $dps and $aws topics included', async () => {
    const rid = fc.oneof(fc.constantFrom('1', '0', '-1', ''), trickyString);
    const topic = fc.oneof(
      rid.map((r) => `$iothub/twin/GET/?$rid=${r}`),
      rid.map((r) => `$iothub/twin/PATCH/properties/reported/?$rid=${r}`),
      fc.tuple(fc.constantFrom('200', '500', 'x', ''), rid).map(([status, r]) => `$iothub/methods/res/${status}/?$rid=${r}`),
      trickyString.map((props) => `devices/${DEVICE}/messages/events/${props}`),
      fc.constantFrom(`devices/other/messages/events/`, '$dps/registrations/PUT/iotdps-register/?$rid=1', `$aws/things/${THING}/jobs/get`, '$SYS/x', '#', '+', 'a/+/b', 't'.repeat(5000)),
      trickyString,
    );
    const filter = fc.oneof(fc.constantFrom('#', '+/#', '$iothub/#', '$iothub/twin/res/#', '$iothub/methods/POST/#', `devices/${DEVICE}/messages/devicebound/#`, '$SYS/#', '$aws/things/+/jobs/#', 'a/#/b', '$dps/registrations/res/#'), trickyString);
    const action = fc.oneof(fc.record({ subscribe: filter }), fc.record({ topic, payload }));
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 8 }), async (actions) => {
        const outcome = await tryConnect(plainUrl(), { clientId: DEVICE, username: hubUsername(DEVICE), password: validPassword(), protocolVersion: 4 });
        if (!outcome.connected) throw new Error(`a device with a valid SAS was refused: ${outcome.reason}`);
        for (const step of actions) {
          if ('subscribe' in step) await subscribeOrDropped(outcome.client, step.subscribe);
          else await publishOrDropped(outcome.client, step.topic, step.payload);
        }
        await closeClient(outcome.client);
        await expectBrokerAnswering();
      }),
      fuzzParameters(50),
    );
  }, fuzzTimeout(60_000));

  it('lets an AWS IoT thing (certificate over TLS) send bad JSON to its jobs topics and others', async () => {
    const jobTopic = fc.constantFrom(
      `$aws/things/${THING}/jobs/get`,
      `$aws/things/${THING}/jobs/start-next`,
      `$aws/things/${THING}/jobs/fz-mqtt-job/get`,
      `$aws/things/${THING}/jobs/fz-mqtt-job/update`,
      `$aws/things/${THING}/jobs/$next/get`,
      `$aws/things/${THING}/jobs/no-such-job/update`,
      `$aws/things/other-thing/jobs/get`,
      `$aws/things/${THING}/shadow/update`,
      `$iothub/twin/GET/?$rid=1`,
    );
    const topic = fc.oneof({ weight: 4, arbitrary: jobTopic }, { weight: 1, arbitrary: trickyString.map((rest) => `$aws/things/${THING}/jobs/${rest}`) }, { weight: 1, arbitrary: trickyString });
    const jobPayload = fc.oneof(payload, fc.record({ status: fc.constantFrom('IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'bogus'), expectedVersion: fc.oneof(fc.integer(), trickyString), clientToken: trickyString }).map((body) => JSON.stringify(body)));
    const action = fc.oneof(fc.record({ subscribe: fc.oneof(fc.constant(`$aws/things/${THING}/jobs/#`), fc.constant('#'), trickyString) }), fc.record({ topic, payload: jobPayload }));
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 8 }), async (actions) => {
        const outcome = await tryConnect(`mqtts://localhost:${endpoints.mqttPort}`, { ca, cert: thing.certificatePem, key: thing.privateKey, clientId: THING, protocolVersion: 4 });
        if (!outcome.connected) throw new Error(`the thing's certificate was refused: ${outcome.reason}`);
        for (const step of actions) {
          if ('subscribe' in step) await subscribeOrDropped(outcome.client, step.subscribe);
          else await publishOrDropped(outcome.client, step.topic, step.payload);
        }
        await closeClient(outcome.client);
        await expectBrokerAnswering();
      }),
      fuzzParameters(40),
    );
  }, fuzzTimeout(60_000));

  it('survives bursts of clients that connect and drop at once, then restarts on the same data dir', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constant('valid' as const), mqttBytes), { minLength: 5, maxLength: 40 }), async (burst) => {
        await Promise.all(
          burst.map(async (entry) => {
            if (entry !== 'valid') {
              await sendRawBytes(plainPort, entry);
              return;
            }
            const outcome = await tryConnect(plainUrl(), { clientId: DEVICE, username: hubUsername(DEVICE), password: validPassword(), protocolVersion: 4 });
            if (outcome.connected) outcome.client.end(true);
          }),
        );
        await expectBrokerAnswering();
      }),
      fuzzParameters(10),
    );
    await emulator.restart();
    plainPort = await eventually(async () => {
      const printed = Number(/plain MQTT on port (\d+)/.exec(emulator.serve.stdout())?.[1] ?? 0);
      expect(printed).toBeGreaterThan(0);
      return printed;
    });
    await expectBrokerAnswering();
  }, fuzzTimeout(60_000));
});
