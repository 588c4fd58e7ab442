import { createHmac } from 'node:crypto';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CentralClient } from '../central/job-fixtures.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';

/** How long an asynchronous effect may take on a busy machine before the test gives up. */
const WAIT = { timeout: 10_000 };

const VERSION = '2022-07-31';

/** Clients that do what no SDK would: each gets a refusal or a closed connection, and the emulator stays up. */
describe('misbehaving MQTT clients', () => {
  let host: TestHost;
  let central: CentralClient;
  let ca: string;
  let hubHost: string;
  let password: string;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1, mqtt: { port: 0, plainPort: 0 } });
    central = new CentralClient(host, VERSION);
    ca = await (await host.call('GET', '/_fleetlab/ca.pem')).text();
    hubHost = ((await (await host.call('GET', '/_fleetlab/info')).json()) as { devices: { hubHost: string } }).devices.hubHost;
    await central.expect(200, 'PUT', '/devices/rogue', { displayName: 'rogue', simulated: false });
    const { symmetricKey } = await central.expect<{ symmetricKey: { primaryKey: string } }>(200, 'GET', '/devices/rogue/credentials');
    const resource = encodeURIComponent(`${hubHost}/devices/rogue`);
    const expiry = Math.floor(Date.now() / 1000) + 600;
    const sig = createHmac('sha256', Buffer.from(symmetricKey.primaryKey, 'base64')).update(`${resource}\n${expiry}`).digest('base64');
    password = `SharedAccessSignature sr=${resource}&sig=${encodeURIComponent(sig)}&se=${expiry}`;
  });
  afterAll(async () => {
    await Promise.allSettled(clients.map((client) => client.endAsync(true)));
    await host?.stop();
  });

  const stillServes = async () => expect((await central.call('GET', '/devices/rogue')).status).toBe(200);
  const connectRogue = async (overrides: { username?: string; password?: string; clean?: boolean } = {}) => {
    const client = await mqtt.connectAsync(`mqtts://localhost:${host.mqtt!.port}`, {
      ca,
      clientId: 'rogue',
      username: `${hubHost}/rogue/?api-version=2021-04-12`,
      password,
      reconnectPeriod: 0,
      ...overrides,
    });
    clients.push(client);
    return client;
  };

  it('closes a connection that sends bytes that are not MQTT, on TLS and on the plain port', async () => {
    for (const socket of [tcpConnect(host.mqtt!.plainPort!, '127.0.0.1'), tlsConnect({ port: host.mqtt!.port, host: '127.0.0.1', ca, servername: 'localhost' })]) {
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.on('error', () => undefined);
      socket.write(Buffer.from('GET / HTTP/1.1\r\nHost: nobody\r\n\r\n'));
      await closed;
    }
    await stillServes();
  });

  it('drops an upgrade to a path no protocol serves, or with a target that is not a URL, and keeps serving', async () => {
    const { port } = new URL(host.url);
    for (const target of ['/mqtt-nowhere', 'http://[']) {
      const socket = tcpConnect(Number(port), '127.0.0.1');
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.on('error', () => undefined);
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
      await closed;
    }
    await stillServes();
  });

  it('refuses a CONNECT whose username is broken percent-encoding, or whose token expired', async () => {
    await expect(connectRogue({ username: `${hubHost}/%E0%A4%A/?api-version=2021-04-12` })).rejects.toMatchObject({ code: 2 });
    const expired = password.replace(/se=\d+/, 'se=1000');
    await expect(connectRogue({ password: expired })).rejects.toMatchObject({ code: 5 });
    await stillServes();
  });

  it('answers a reported patch that is not JSON with 400 on the response topic', async () => {
    const client = await connectRogue();
    await client.subscribeAsync('$iothub/twin/res/#');
    const answer = new Promise<string>((resolve) => client.once('message', (topic) => resolve(topic)));
    await client.publishAsync('$iothub/twin/PATCH/properties/reported/?$rid=7', 'not json');
    expect(await answer).toBe('$iothub/twin/res/400/?$rid=7');
    await client.endAsync();
  });

  it("refuses a subscription to another device's or the broker's topics, and closes a client that publishes to them", async () => {
    const client = await connectRogue();
    await expect(client.subscribeAsync('$SYS/#')).rejects.toThrow('Subscribe error');
    await expect(client.subscribeAsync('devices/someone-else/messages/devicebound/#')).rejects.toThrow('Subscribe error');
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish('devices/someone-else/messages/events/', '{}');
    await closed;
    await stillServes();
  });

  it('keeps the subscriptions of a persistent session: a device that reconnects without subscribing again still gets its methods', async () => {
    const first = await connectRogue({ clean: false });
    await first.subscribeAsync('$iothub/methods/POST/#', { qos: 1 });
    await first.endAsync();
    const again = await connectRogue({ clean: false });
    const invoked = new Promise<string>((resolve) =>
      again.on('message', (topic) => {
        again.publish(`$iothub/methods/res/200/?$rid=${new URLSearchParams(topic.split('?')[1]).get('$rid')}`, '{"ok":true}');
        resolve(topic);
      }),
    );
    const ran = await central.expect<{ responseCode: number; response: unknown }>(201, 'POST', '/devices/rogue/commands/ping', {});
    expect(await invoked).toMatch(/^\$iothub\/methods\/POST\/ping\/\?\$rid=/);
    expect(ran).toMatchObject({ responseCode: 200, response: { ok: true } });
    await again.endAsync();
  });

  it('ends the connection of a device that is deleted', async () => {
    const client = await connectRogue();
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await central.expect(204, 'DELETE', '/devices/rogue');
    await closed;
    await vi.waitFor(async () => {
      const connected = (await (await host.call('GET', '/_fleetlab/connected-devices')).json()) as { value: unknown[] };
      expect(connected.value).toEqual([]);
    }, WAIT);
    await expect(connectRogue()).rejects.toMatchObject({ code: 5 });
  });
});
