import type { DeviceCredentialSource } from '../../domain/devices/device-credentials.js';
import type { HubDeviceLink, HubDevices } from '../../domain/hub/hub-devices.js';
import { CONNACK, ConnectRefused, type ClientLink, type DeviceSession } from '../device-protocol.js';
import { parseSasToken, sasRefusal } from './sas-token.js';
import { decodeName, isRecord, jsonOf, splitTopic } from '../topics.js';
import { desiredPatchDocument, methodName, readReportedPatch, twinDocument } from './twin-wire.js';

/** `{hubHost}/{deviceId}/?api-version=…[&model-id=…]`: how the device SDKs name themselves to IoT Hub. */
export const HUB_USERNAME = /^([^/]+)\/([^/]+)\/\??(api-version=.*)$/;

const TWIN_GET = '$iothub/twin/GET/';
const TWIN_REPORTED = '$iothub/twin/PATCH/properties/reported/';
const METHOD_RESPONSE = /^\$iothub\/methods\/res\/(\d{3})\/$/;
const DESIRED_TOPIC = '$iothub/twin/PATCH/properties/desired/';
const METHODS_TOPIC = '$iothub/methods/POST/';

export interface HubContext {
  hub: HubDevices;
  credentials: DeviceCredentialSource;
}

/**
 * One device on IoT Hub's MQTT API: twin get and reported patches, desired-property notifications, direct methods
 * and telemetry, each on its own topics (learn.microsoft.com/azure/iot/iot-mqtt-connect-to-iot-hub).
 */
export async function openHubSession(context: HubContext, clientId: string, username: string, password: Buffer | undefined, link: ClientLink): Promise<DeviceSession> {
  const [, hubHost, encodedId, parameters] = HUB_USERNAME.exec(username)!;
  const deviceId = decodeName(encodedId!);
  if (deviceId === undefined) throw new ConnectRefused(CONNACK.identifierRejected, 'the device id in the username is not valid percent-encoding');
  if (clientId !== deviceId) throw new ConnectRefused(CONNACK.identifierRejected, `the client id "${clientId}" is not the device id "${deviceId}"`);
  if (!context.hub.hubDevice(deviceId)) throw new ConnectRefused(CONNACK.notAuthorized, `"${deviceId}" is not a real device of this application (unknown, simulated or disabled)`);
  const token = password && parseSasToken(password.toString('utf8'));
  if (!token) throw new ConnectRefused(CONNACK.notAuthorized, 'the password is not a SharedAccessSignature');
  // As IoT Hub does, the token must be for this hub (the host the device names in its username) and this device.
  const ownResource = `${hubHost!}/devices/${deviceId}`.toLowerCase();
  const refusal = sasRefusal(token, (resource) => resource.toLowerCase() === ownResource, context.credentials.signingKeys(deviceId), Date.now());
  if (refusal) throw new ConnectRefused(CONNACK.notAuthorized, refusal);

  const ownEvents = `devices/${deviceId}/messages/events/`;
  const pending = new Map<string, (answer: { status: number; payload: unknown }) => void>();
  let nextRid = 1;
  const deviceLink: HubDeviceLink = {
    transport: link.transport,
    receivesDesired: () => link.isSubscribed(`${DESIRED_TOPIC}?$version=1`),
    receivesMethods: () => link.isSubscribed(`${METHODS_TOPIC}method/?$rid=1`),
    disconnect: () => link.disconnect(),
    desiredChanged: (patch, version, components) => link.send(`${DESIRED_TOPIC}?$version=${version}`, JSON.stringify(desiredPatchDocument(patch, version, components))),
    invoke: (command, payload, timeoutMs) =>
      new Promise((resolve, reject) => {
        const method = methodName(command);
        const rid = (nextRid++).toString(16);
        const timer = setTimeout(() => {
          pending.delete(rid);
          reject(new Error(`"${deviceId}" did not answer method "${method}" within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(rid, (answer) => {
          clearTimeout(timer);
          pending.delete(rid);
          resolve(answer);
        });
        link.send(`${METHODS_TOPIC}${method}/?$rid=${rid}`, JSON.stringify(payload ?? null)).catch((error: unknown) => {
          clearTimeout(timer);
          pending.delete(rid);
          reject(error as Error);
        });
      }),
  };
  const detach = await context.hub.attach(deviceId, deviceLink, new URLSearchParams(parameters).get('model-id') ?? undefined);

  return {
    identity: deviceId,
    mayPublish: (topic) => topic.startsWith(TWIN_GET) || topic.startsWith(TWIN_REPORTED) || topic.startsWith('$iothub/methods/res/') || topic.startsWith(ownEvents),
    maySubscribe: (filter) =>
      filter.startsWith('$iothub/twin/res/') || filter.startsWith('$iothub/twin/PATCH/properties/desired/') || filter.startsWith('$iothub/methods/POST/') || filter.startsWith(`devices/${deviceId}/messages/devicebound/`),
    subscribed: () => context.hub.subscriptionsChanged(deviceId),
    async received(topic, payload) {
      const { path, query } = splitTopic(topic);
      const rid = query.get('$rid') ?? '';
      if (path === TWIN_GET) return link.send(`$iothub/twin/res/200/?$rid=${rid}`, JSON.stringify(twinDocument(context.hub.twin(deviceId))));
      if (path === TWIN_REPORTED) {
        const patch = jsonOf(payload);
        if (!isRecord(patch)) return link.send(`$iothub/twin/res/400/?$rid=${rid}`, JSON.stringify({ message: 'The reported properties patch is not a JSON object.' }));
        const { patch: document, reports } = readReportedPatch(patch);
        const version = await context.hub.reportProperties(deviceId, document, reports);
        return link.send(`$iothub/twin/res/204/?$rid=${rid}&$version=${version}`, '');
      }
      const method = METHOD_RESPONSE.exec(path);
      if (method) return pending.get(rid)?.({ status: Number(method[1]), payload: jsonOf(payload) ?? null });
      if (topic.startsWith(ownEvents)) {
        const properties = new URLSearchParams(topic.slice(ownEvents.length));
        return context.hub.recordTelemetry(deviceId, jsonOf(payload), properties.get('$.sub') ?? undefined);
      }
    },
    closed: () => {
      for (const answer of pending.values()) answer({ status: 504, payload: { error: 'The device disconnected before it answered.' } });
      detach();
    },
  };
}
