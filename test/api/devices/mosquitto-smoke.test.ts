import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildDist } from '../../helpers/emulator-process.js';
import { sasToken } from '../../helpers/iot-hub-device.js';
import { startServeProcess, type ServeProcess } from '../../helpers/serve-process.js';
import { THERMOSTAT_ID, THERMOSTAT_TEMPLATE } from '../central/job-fixtures.js';

const TOKEN = 'SharedAccessSignature sr=mosquitto&sig=smoke&skn=ci&se=4102444800000';
const VERSION = 'api-version=2022-07-31';
/** How long an asynchronous effect may take on a busy machine before the test gives up. */
const WAIT = { timeout: 10_000 };

function mosquittoMissing(): string | undefined {
  try {
    execFileSync('mosquitto_sub', ['--help'], { stdio: 'ignore' });
    return undefined;
  } catch (error) {
    // mosquitto_sub --help exits 1 after printing its usage; only a missing binary throws ENOENT.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'mosquitto_sub is not installed (apt-get install mosquitto-clients; .ci/run does)' : undefined;
  }
}

const missing = mosquittoMissing();
if (missing) console.warn(`Skipping the mosquitto_sub smoke test: ${missing}`);

/** Debian's mosquitto_sub, a plain MQTT tool, on `fleetlab serve --mqtt-plain`: it speaks IoT Hub's device API too. */
describe.skipIf(missing !== undefined)('mosquitto_sub on the plain MQTT port', () => {
  let dataDir: string;
  let serve: ServeProcess;
  const call = (method: string, pathAndQuery: string, body?: unknown) =>
    fetch(`${serve.url}${pathAndQuery}`, { method, headers: { authorization: TOKEN, 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }) });

  beforeAll(async () => {
    buildDist();
    dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-mosquitto-'));
    serve = await startServeProcess(dataDir, TOKEN, { args: ['--mqtt-plain'] });
  });
  afterAll(async () => {
    await serve?.signal('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('receives the desired property a job writes, after connecting with a SAS token of the device key', async () => {
    const plainPort = await vi.waitFor(() => {
      const printed = Number(/plain MQTT on port (\d+)/.exec(serve.stdout())?.[1] ?? 0);
      expect(printed, 'the emulator printed its plain MQTT port').toBeGreaterThan(0);
      return printed;
    }, WAIT);
    const info = (await (await call('GET', '/_fleetlab/info')).json()) as { devices: { hubHost: string } };
    expect((await call('PUT', `/api/deviceTemplates/${THERMOSTAT_ID}?${VERSION}`, THERMOSTAT_TEMPLATE)).status).toBe(200);
    expect((await call('PUT', `/api/devices/gateway-1?${VERSION}`, { displayName: 'Gateway', template: THERMOSTAT_ID, simulated: false })).status).toBe(200);
    const credentials = (await (await call('GET', `/api/devices/gateway-1/credentials?${VERSION}`)).json()) as { symmetricKey: { primaryKey: string } };
    // The device would never answer: a short command timeout lets the job end.
    expect((await call('PUT', '/_fleetlab/devices/gateway-1/behavior', { commandTimeoutMs: 500 })).status).toBe(200);

    const password = sasToken(`${info.devices.hubHost}/devices/gateway-1`, credentials.symmetricKey.primaryKey, Math.floor(Date.now() / 1000) + 3600);
    const sub = spawn('mosquitto_sub', [
      '-h', '127.0.0.1', '-p', String(plainPort), '-V', 'mqttv311', '-i', 'gateway-1',
      '-u', `${info.devices.hubHost}/gateway-1/?api-version=2021-04-12`, '-P', password,
      '-t', '$iothub/twin/PATCH/properties/desired/#', '-v', '-C', '1',
    ]);
    let output = '';
    sub.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    sub.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => sub.once('exit', resolve));
    try {
      await vi.waitFor(async () => {
        const connected = (await (await call('GET', '/_fleetlab/connected-devices')).json()) as { value: { deviceId: string }[] };
        expect(connected.value.map((device) => device.deviceId), 'mosquitto_sub connected as gateway-1').toContain('gateway-1');
      }, WAIT);
      expect((await call('PUT', `/api/deviceGroups/gateways?${VERSION}`, { displayName: 'Gateways', filter: 'SELECT * FROM devices WHERE $id = "gateway-1"' })).status).toBe(200);
      expect((await call('PUT', `/api/jobs/smoke?${VERSION}`, { group: 'gateways', data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 23 }] })).status).toBe(200);
      expect(await exited).toBe(0);
      const [topic, payload] = output.trim().split(' ');
      expect(topic).toMatch(/^\$iothub\/twin\/PATCH\/properties\/desired\/\?\$version=\d+$/);
      expect(JSON.parse(payload!)).toMatchObject({ targetTemperature: 23 });
    } finally {
      sub.kill();
    }
  });
});
