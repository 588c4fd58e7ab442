import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Supervisor, silentLog } from '../../electron/domain/background.js';
import { DeviceBroker } from '../../electron/mqtt/broker.js';
import { CONNACK, ConnectRefused, type ConnectAttempt, type DeviceProtocol, type DeviceSession } from '../../electron/mqtt/device-protocol.js';
import { ProtocolRegistry } from '../../electron/mqtt/protocol-registry.js';
import { localCaCredentials } from '../../electron/tls/local-ca.js';

/** How long an asynchronous effect may take on a busy machine before the test gives up. */
const WAIT = { timeout: 10_000 };

/** A protocol that accepts username "echo/<name>", lets it use "echo/<name>/#" only, and answers on ".../reply". */
function echoProtocol(received: string[]): DeviceProtocol {
  return {
    name: 'echo',
    websocketPaths: ['/echo'],
    claims: (attempt: ConnectAttempt) => attempt.username?.startsWith('echo/') ?? false,
    async open(attempt, link): Promise<DeviceSession> {
      const name = attempt.username!.slice('echo/'.length);
      if (attempt.password?.toString() !== 'secret') throw new ConnectRefused(CONNACK.notAuthorized, 'wrong password');
      const own = (topic: string) => topic.startsWith(`echo/${name}/`);
      return {
        identity: name,
        mayPublish: own,
        maySubscribe: own,
        async received(topic, payload) {
          received.push(`${topic} ${payload.toString()}`);
          if (payload.toString() === 'explode') throw new Error('the protocol failed on this message');
          const via = attempt.upgradeRequest ? ` at ${attempt.upgradeRequest.url}` : '';
          await link.send(`echo/${name}/reply`, `got ${payload.toString()} over ${link.transport}${via}`);
        },
        closed: () => undefined,
      };
    },
  };
}

describe('device MQTT broker', () => {
  let dataDir: string;
  let broker: DeviceBroker;
  let ca: string;
  const received: string[] = [];
  const log = { ...silentLog, error: vi.fn() };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-broker-'));
    const files = await localCaCredentials(dataDir);
    ca = files.caPem;
    const registry = new ProtocolRegistry();
    registry.register(echoProtocol(received));
    broker = await DeviceBroker.start({ registry, supervisor: new Supervisor(log), log, tls: { cert: files.certPem, key: files.keyPem }, host: '127.0.0.1', tlsPort: 0, plainPort: 0 });
  });
  afterAll(async () => {
    await broker.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const connect = (url: string, username: string, password: string) => mqtt.connectAsync(url, { username, password, ca, reconnectPeriod: 0, clientId: username.replace('/', '-') });

  it('hands a TLS client to the protocol that claims its username, which answers it alone', async () => {
    const client = await connect(`mqtts://localhost:${broker.tlsPort}`, 'echo/one', 'secret');
    await client.subscribeAsync('echo/one/reply');
    const reply = new Promise<string>((resolve) => client.once('message', (_topic, payload) => resolve(payload.toString())));
    await client.publishAsync('echo/one/in', 'hello');
    expect(await reply).toBe('got hello over tls');
    expect(broker.connectedClients()).toMatchObject([{ protocol: 'echo', identity: 'one', transport: 'tls' }]);
    await client.endAsync();
    await vi.waitFor(() => expect(broker.connectedClients()).toEqual([]), WAIT);
  });

  it('speaks MQTT over WebSockets on the paths its protocols name, and refuses other upgrades', async () => {
    const http: Server = createServer((_request, response) => response.end());
    http.on('upgrade', (request, socket, head) => {
      if (!broker.handleUpgrade(request, socket, head)) socket.destroy();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    try {
      const client = await connect(`ws://127.0.0.1:${port}/echo?signed=yes`, 'echo/web', 'secret');
      await client.subscribeAsync('echo/web/reply');
      const reply = new Promise<string>((resolve) => client.once('message', (_topic, payload) => resolve(payload.toString())));
      await client.publishAsync('echo/web/in', 'hi');
      expect(await reply).toBe('got hi over websocket at /echo?signed=yes');
      await client.endAsync();
      await expect(connect(`ws://127.0.0.1:${port}/elsewhere`, 'echo/web', 'secret')).rejects.toThrow();
    } finally {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });

  it('refuses a wrong password with CONNACK 5 and an unclaimed username the same way', async () => {
    await expect(connect(`mqtts://localhost:${broker.tlsPort}`, 'echo/one', 'wrong')).rejects.toMatchObject({ code: 5 });
    await expect(connect(`mqtts://localhost:${broker.tlsPort}`, 'someone-else', 'secret')).rejects.toMatchObject({ code: 5 });
  });

  it('keeps a client to the topics its protocol allows', async () => {
    const client = await connect(`mqtt://127.0.0.1:${broker.plainPort}`, 'echo/two', 'secret');
    await expect(client.subscribeAsync('echo/one/reply')).rejects.toThrow('Subscribe error');
    expect(await client.subscribeAsync('echo/two/reply')).toMatchObject([{ topic: 'echo/two/reply', qos: 0 }]);
    expect(client.connected).toBe(true);
    await client.endAsync();
  });

  it('survives a protocol that throws: the failure is logged and the client stays connected', async () => {
    const client = await connect(`mqtt://127.0.0.1:${broker.plainPort}`, 'echo/three', 'secret');
    await client.subscribeAsync('echo/three/reply');
    await client.publishAsync('echo/three/in', 'explode');
    await vi.waitFor(() => expect(log.error).toHaveBeenCalled(), WAIT);
    const reply = new Promise<string>((resolve) => client.once('message', (_topic, payload) => resolve(payload.toString())));
    await client.publishAsync('echo/three/in', 'still there');
    expect(await reply).toBe('got still there over tcp');
    await client.endAsync();
  });
});
