import { connect as tcpConnect } from 'node:net';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

const DEADLINE_MS = 5_000;

/**
 * Writes `bytes` on a fresh TCP connection, half-closes it and resolves once the broker has closed its side too;
 * a broker that keeps a connection it cannot use past the deadline is cut off (it may wait for more bytes).
 */
export function sendRawBytes(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    const deadline = setTimeout(() => socket.destroy(), DEADLINE_MS);
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(deadline);
      resolve();
    });
    socket.on('data', () => {});
    socket.on('connect', () => socket.end(bytes));
  });
}

export type ConnectOutcome = { connected: true; client: MqttClient } | { connected: false; reason: string };

/** mqtt.js without reconnecting: resolves on CONNACK, a refusal or the connection closing, whichever comes first. */
export function tryConnect(url: string, options: IClientOptions): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: DEADLINE_MS, ...options });
    client.once('connect', () => resolve({ connected: true, client }));
    const fail = (reason: string) => {
      client.end(true);
      resolve({ connected: false, reason });
    };
    client.once('error', (error) => fail(error.message));
    client.once('close', () => fail('closed'));
  });
}

/** Ends a client whether or not the broker still talks to it. */
export async function closeClient(client: MqttClient): Promise<void> {
  await new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
}

/** Subscribes, resolving on SUBACK or when the broker drops the connection instead. */
export function subscribeOrDropped(client: MqttClient, filter: string): Promise<void> {
  return new Promise((resolve) => {
    if (!client.connected) return resolve();
    const onClose = () => resolve();
    client.once('close', onClose);
    client.subscribe(filter, { qos: 1 }, () => {
      client.off('close', onClose);
      resolve();
    });
  });
}

/** Publishes at QoS 0 (no PUBACK to wait for): the broker may take it, ignore it or drop the connection. */
export function publishOrDropped(client: MqttClient, topic: string, payload: Buffer | string): Promise<void> {
  return new Promise((resolve) => {
    if (!client.connected) return resolve();
    client.publish(topic, payload, { qos: 0 }, () => resolve());
  });
}
