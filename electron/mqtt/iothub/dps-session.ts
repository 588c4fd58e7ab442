import { randomUUID } from 'node:crypto';
import type { DeviceCredentialSource } from '../../domain/devices/device-credentials.js';
import type { HubDevices } from '../../domain/hub/hub-devices.js';
import { messageOf } from '../../domain/background.js';
import { CONNACK, ConnectRefused, type ClientLink, type DeviceSession } from '../device-protocol.js';
import { parseSasToken, sasRefusal } from './sas-token.js';
import { decodeName, isRecord, jsonOf, splitTopic } from '../topics.js';

/** `{idScope}/registrations/{registrationId}/api-version=…`: how the provisioning SDKs name themselves. */
export const DPS_USERNAME = /^([^/]+)\/registrations\/([^/]+)\/(?:\?)?api-version=/;

const REGISTER = '$dps/registrations/PUT/iotdps-register/';
const OPERATION_STATUS = '$dps/registrations/GET/iotdps-get-operationstatus/';
const RESPONSES = '$dps/registrations/res/#';

export interface DpsContext {
  hub: HubDevices;
  credentials: DeviceCredentialSource;
  /** The host devices are told to connect to (`assignedHub`). */
  hubHost(): string;
}

/**
 * The Device Provisioning Service over MQTT as IoT Central runs it: the app's ID scope, a registration signed with
 * the device's own key or one derived from the SAS-IoT-Devices group key; the assigned hub is this emulator.
 */
export function openDpsSession(context: DpsContext, username: string, password: Buffer | undefined, link: ClientLink): DeviceSession {
  const [, idScope, encodedId] = DPS_USERNAME.exec(username)!;
  const registrationId = decodeName(encodedId!);
  if (registrationId === undefined) throw new ConnectRefused(CONNACK.identifierRejected, 'the registration id in the username is not valid percent-encoding');
  if (idScope !== context.credentials.idScope()) throw new ConnectRefused(CONNACK.notAuthorized, `ID scope "${idScope}" is not this application's`);
  const token = password && parseSasToken(password.toString('utf8'));
  if (!token) throw new ConnectRefused(CONNACK.notAuthorized, 'the password is not a SharedAccessSignature');
  const keys = context.credentials.signingKeys(registrationId);
  const refusal = sasRefusal(token, (resource) => resource === `${idScope}/registrations/${registrationId}`, keys, Date.now());
  if (refusal) throw new ConnectRefused(CONNACK.notAuthorized, refusal);

  const operations = new Map<string, Record<string, unknown>>();
  const respond = (status: number, rid: string, body: unknown, retryAfter?: number) =>
    link.send(`$dps/registrations/res/${status}/?$rid=${encodeURIComponent(rid)}${retryAfter === undefined ? '' : `&retry-after=${retryAfter}`}`, JSON.stringify(body));

  return {
    identity: registrationId,
    mayPublish: (topic) => topic.startsWith(REGISTER) || topic.startsWith(OPERATION_STATUS),
    maySubscribe: (filter) => filter === RESPONSES,
    async received(topic, payload) {
      const { path, query } = splitTopic(topic);
      const rid = query.get('$rid') ?? '';
      if (path === REGISTER) {
        const body = jsonOf(payload);
        const modelId = isRecord(body) && isRecord(body.payload) && typeof body.payload.modelId === 'string' ? body.payload.modelId : undefined;
        const operationId = `4.${randomUUID()}`;
        try {
          const device = await context.hub.register(registrationId, modelId);
          const now = new Date().toISOString();
          operations.set(operationId, {
            registrationId,
            createdDateTimeUtc: now,
            assignedHub: context.hubHost(),
            deviceId: device.id,
            status: 'assigned',
            substatus: 'initialAssignment',
            lastUpdatedDateTimeUtc: now,
            etag: `"${device.etag}"`,
          });
        } catch (error) {
          return respond(400, rid, { errorCode: 400000, message: messageOf(error), trackingId: operationId });
        }
        // DPS answers a registration with 202 and the operation to poll, as the SDKs expect.
        return respond(202, rid, { operationId, status: 'assigning' }, 1);
      }
      if (path === OPERATION_STATUS) {
        const operationId = query.get('operationId') ?? '';
        const registrationState = operations.get(operationId);
        if (!registrationState) return respond(404, rid, { errorCode: 404201, message: `Operation "${operationId}" is not known.`, trackingId: operationId });
        return respond(200, rid, { operationId, status: 'assigned', registrationState });
      }
    },
    closed: () => undefined,
  };
}
