import { connect as tcpConnect } from 'node:net';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

const DEADLINE_MS = 5_000;

/**
 * Writes `bytes` on a fresh TCP connection, half-closes it and resolves with what the broker answered once it has
 * closed its side too; a broker that keeps a connection it cannot use past the deadline is cut off.
 */
export function sendRawBytes(port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    const received: Buffer[] = [];
    const deadline = setTimeout(() => socket.destroy(), DEADLINE_MS);
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(deadline);
      resolve(Buffer.concat(received));
    });
    socket.on('data', (chunk: Buffer) => received.push(chunk));
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

/** Subscribes, resolving on SUBACK or when the broker drops the connection instead; rejects when it does neither. */
export function subscribeOrDropped(client: MqttClient, filter: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!client.connected) return resolve();
    const deadline = setTimeout(() => reject(new Error(`no SUBACK and no disconnect within ${DEADLINE_MS} ms for ${JSON.stringify(filter.slice(0, 200))}`)), DEADLINE_MS);
    const onClose = () => {
      clearTimeout(deadline);
      resolve();
    };
    client.once('close', onClose);
    client.subscribe(filter, { qos: 1 }, () => {
      clearTimeout(deadline);
      client.off('close', onClose);
      resolve();
    });
  });
}

/**
 * Publishes at QoS 0 (no PUBACK to wait for): the broker may take it, ignore it or drop the connection, and a message
 * queued as the connection drops never gets its write callback, so the close counts as the end too.
 */
export function publishOrDropped(client: MqttClient, topic: string, payload: Buffer | string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!client.connected) return resolve();
    const deadline = setTimeout(() => reject(new Error(`a QoS 0 PUBLISH to ${JSON.stringify(topic.slice(0, 200))} was neither written nor the connection closed within ${DEADLINE_MS} ms`)), DEADLINE_MS);
    const onClose = () => {
      clearTimeout(deadline);
      resolve();
    };
    client.once('close', onClose);
    client.publish(topic, payload, { qos: 0 }, () => {
      clearTimeout(deadline);
      client.off('close', onClose);
      resolve();
    });
  });
}
