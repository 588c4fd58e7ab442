import { randomUUID } from 'node:crypto';
import { Agent } from 'node:https';
import { AttachThingPrincipalCommand, CreateKeysAndCertificateCommand, IoTClient } from '@aws-sdk/client-iot';
import mqtt, { type MqttClient } from 'mqtt';
import { DEFAULT_AWS_CREDENTIALS } from '../../electron/api/aws/credentials.js';
import type { TestHost } from './host.js';

export const REGION = 'us-east-1';

/** The real AWS SDK client on an HTTPS emulator, trusting Fleetlab's CA as a user configures it. */
export function tlsIotClient(host: TestHost, ca: string): IoTClient {
  return new IoTClient({
    endpoint: `${host.url}/aws`,
    region: REGION,
    credentials: DEFAULT_AWS_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: { httpsAgent: new Agent({ ca }) },
  });
}

export interface DeviceCredentials {
  certificateArn: string;
  certificateId: string;
  certificatePem: string;
  privateKey: string;
}

/** CreateKeysAndCertificate (ACTIVE unless asked otherwise), attached to `thing` when one is named. */
export async function issueCertificate(iot: IoTClient, thing?: string, setAsActive = true): Promise<DeviceCredentials> {
  const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive }));
  if (thing) await iot.send(new AttachThingPrincipalCommand({ thingName: thing, principal: created.certificateArn }));
  return { certificateArn: created.certificateArn!, certificateId: created.certificateId!, certificatePem: created.certificatePem!, privateKey: created.keyPair!.PrivateKey! };
}

/** mqtt.js over TLS with a device certificate, as an AWS IoT device connects (client id = thing name). */
export function connectWithCertificate(port: number, ca: string, credentials: DeviceCredentials, clientId: string): Promise<MqttClient> {
  return connected(
    mqtt.connect(`mqtts://localhost:${port}`, { ca, cert: credentials.certificatePem, key: credentials.privateKey, clientId, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 10_000 }),
  );
}

export function connected(client: MqttClient): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', (error) => {
      client.end(true);
      reject(error);
    });
    client.once('close', () => reject(new Error('the connection closed before CONNACK')));
  });
}

/** Everything published to the client, by topic, in arrival order. */
export function inbox(client: MqttClient): Map<string, Record<string, unknown>[]> {
  const messages = new Map<string, Record<string, unknown>[]>();
  client.on('message', (topic, payload) => {
    const list = messages.get(topic) ?? [];
    list.push(JSON.parse(payload.toString('utf8')) as Record<string, unknown>);
    messages.set(topic, list);
  });
  return messages;
}

/**
 * One jobs API request: subscribes to its `/accepted` and `/rejected` topics, publishes with a fresh clientToken and
 * resolves with the answer that carries that token.
 */
export async function jobsRequest(client: MqttClient, topic: string, payload: Record<string, unknown> = {}): Promise<{ accepted: boolean; body: Record<string, unknown> }> {
  await client.subscribeAsync([`${topic}/accepted`, `${topic}/rejected`], { qos: 1 });
  const clientToken = randomUUID();
  const answer = new Promise<{ accepted: boolean; body: Record<string, unknown> }>((resolve) => {
    const onMessage = (received: string, raw: Buffer) => {
      const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      if (body.clientToken !== clientToken || (received !== `${topic}/accepted` && received !== `${topic}/rejected`)) return;
      client.off('message', onMessage);
      resolve({ accepted: received.endsWith('/accepted'), body });
    };
    client.on('message', onMessage);
  });
  await client.publishAsync(topic, JSON.stringify({ ...payload, clientToken }), { qos: 1 });
  return answer;
}
