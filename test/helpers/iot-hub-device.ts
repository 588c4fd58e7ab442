import { createHmac } from 'node:crypto';
import { Agent } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import deviceSdk, { type Client, type Twin } from 'azure-iot-device';
import deviceMqtt from 'azure-iot-device-mqtt';
import mqttBase from 'azure-iot-mqtt-base';
import provisioningSdk from 'azure-iot-provisioning-device';
import provisioningMqtt from 'azure-iot-provisioning-device-mqtt';
import symmetricKey from 'azure-iot-security-symmetric-key';
import type { DeviceEndpoints } from '../../electron/mqtt/device-listeners.js';

export type { DeviceEndpoints };

// The SDKs are CommonJS whose exports Node's ESM loader cannot list: their members are read off the module object.
const { Client: DeviceClient } = deviceSdk;
const { Mqtt, MqttWs } = deviceMqtt;
const { MqttBase } = mqttBase;
const { ProvisioningDeviceClient } = provisioningSdk;
const { Mqtt: DpsMqtt, MqttWs: DpsMqttWs } = provisioningMqtt;
const { SymmetricKeySecurityClient } = symmetricKey;


export interface DeviceTarget {
  endpoints: DeviceEndpoints;
  /** The CA PEM (from GET /_fleetlab/ca.pem). */
  ca: string;
  /** MQTT over WebSockets on the API's HTTPS port instead of MQTT over TLS. */
  websocketPort?: number;
}

/** An IoT Hub SAS token for `resource` (`{hub host}/devices/{id}`), signed with `key` (base64), valid until `expiry` (s). */
export function sasToken(resource: string, key: string, expiry: number): string {
  const encoded = encodeURIComponent(resource);
  const signature = createHmac('sha256', Buffer.from(key, 'base64')).update(`${encoded}\n${expiry}`).digest('base64');
  return `SharedAccessSignature sr=${encoded}&sig=${encodeURIComponent(signature)}&se=${expiry}`;
}

/** A device key derived from an enrollment group key, as DPS and IoT Central's docs derive it. */
export function deriveDeviceKey(groupKey: string, registrationId: string): string {
  return createHmac('sha256', Buffer.from(groupKey, 'base64')).update(registrationId, 'utf8').digest('base64');
}

/**
 * The SDKs' WebSocket transports always dial port 443; a real deployment behind a proxy passes its own agent, and so
 * does this one, to reach the emulator's HTTPS port.
 */
function webSocketAgent(target: DeviceTarget): Agent | undefined {
  if (target.websocketPort === undefined) return undefined;
  const agent = new Agent({ ca: target.ca });
  const port = target.websocketPort;
  (agent as unknown as { createConnection: (options: object) => unknown }).createConnection = (options) => tlsConnect({ ...options, port, ca: target.ca });
  return agent;
}

/** Registers through DPS with Microsoft's provisioning SDK; resolves with the assigned hub and device id. */
export async function provision(target: DeviceTarget, registrationId: string, key: string, modelId?: string): Promise<{ assignedHub: string; deviceId: string }> {
  const base = new MqttBase();
  const agent = webSocketAgent(target);
  base.setOptions({ ca: target.ca, ...(agent && { mqtt: { webSocketAgent: agent } }) });
  // The SDK packages each pin their own copy of azure-iot-common / azure-iot-mqtt-base: same shapes, distinct types.
  const transport = agent ? new DpsMqttWs(base as never) : new DpsMqtt(base as never);
  // The WebSocket transport adds :443 itself; the agent above takes the connection to the right port.
  const host = agent ? target.endpoints.provisioningHost.split(':')[0]! : target.endpoints.provisioningHost;
  const client = ProvisioningDeviceClient.create(host, target.endpoints.idScope, transport, new SymmetricKeySecurityClient(registrationId, key) as never);
  if (modelId) client.setProvisioningPayload({ modelId });
  const result = (await client.register()) as { assignedHub: string; deviceId: string };
  return { assignedHub: result.assignedHub, deviceId: result.deviceId };
}

export interface DeviceBehaviour {
  /** The `ac` (and `ad`) the device acknowledges each desired property with. */
  ack?: { ac: number; ad: string };
}

export interface SdkDevice {
  client: Client;
  twin: Twin;
  /** Desired patches received, in order. */
  desired: Record<string, unknown>[];
  /** Direct methods received: name and payload. */
  methods: { name: string; payload: unknown }[];
  close(): Promise<void>;
}

/** Connects with Microsoft's device SDK and acks desired properties as told; answerMethod adds method handlers. */
export async function connectDevice(target: DeviceTarget, hostName: string, deviceId: string, key: string, behaviour: DeviceBehaviour, modelId?: string): Promise<SdkDevice> {
  const agent = webSocketAgent(target);
  const host = agent ? hostName.split(':')[0]! : hostName;
  const client = DeviceClient.fromConnectionString(`HostName=${host};DeviceId=${deviceId};SharedAccessKey=${key}`, agent ? MqttWs : Mqtt);
  await client.setOptions({ ca: target.ca, ...(modelId && { modelId }), ...(agent && { mqtt: { webSocketAgent: agent } }) });
  await client.open();
  const desired: Record<string, unknown>[] = [];
  const methods: { name: string; payload: unknown }[] = [];
  const twin = await client.getTwin();
  twin.on('properties.desired', (delta: Record<string, unknown>) => {
    desired.push(delta);
    if (!behaviour.ack) return;
    const version = delta.$version as number;
    const { ac, ad } = behaviour.ack;
    const acks: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(delta)) {
      if (name.startsWith('$')) continue;
      const component = value as Record<string, unknown>;
      // IoT Plug and Play: a component's properties are acknowledged inside its own object, marked "__t": "c".
      if (component && typeof component === 'object' && component.__t === 'c') {
        const inner: Record<string, unknown> = { __t: 'c' };
        for (const [property, desiredValue] of Object.entries(component)) if (property !== '__t') inner[property] = { value: desiredValue, ac, av: version, ad };
        acks[name] = inner;
      } else {
        acks[name] = { value, ac, av: version, ad };
      }
    }
    if (Object.keys(acks).length > 0) twin.properties.reported.update(acks, () => undefined);
  });
  return {
    client,
    twin,
    desired,
    methods,
    close: async () => {
      await client.close();
    },
  };
}

/** Answers direct method `name` as the behaviour says. */
export function answerMethod(device: SdkDevice, name: string, answer: { status: number; payload: unknown }): void {
  device.client.onDeviceMethod(name, (request, response) => {
    device.methods.push({ name, payload: request.payload });
    response.send(answer.status, answer.payload, () => undefined);
  });
}
