import type { AwsCredentials } from '../../api/aws/sigv4.js';
import { CONNACK, ConnectRefused, type DeviceProtocol } from '../device-protocol.js';
import { openJobsSession, type JobsPrincipal, type JobsSessionContext } from './jobs-session.js';
import { websocketSignatureRefusal } from './websocket-signature.js';

/** Where AWS IoT's device SDKs speak MQTT over WebSockets (SigV4-signed). */
const AWS_IOT_WEBSOCKET_PATH = '/mqtt';

interface AwsIotContext extends JobsSessionContext {
  /** What SigV4-signed WebSocket URLs must be signed with: the emulator's AWS credentials. */
  credentials: AwsCredentials;
}

/**
 * AWS IoT devices on the broker: MQTT over TLS with a client certificate Fleetlab issued (CreateKeysAndCertificate),
 * ACTIVE and attached to the things whose topics it uses; or MQTT over WebSockets on `/mqtt` with a SigV4-signed URL,
 * which speaks for the account (any thing). Other protocols' clients (IoT Hub's usernames) are claimed before this one.
 */
export function awsIotProtocol(context: AwsIotContext): DeviceProtocol {
  const { certificates } = context.aws;
  return {
    name: 'aws-iot',
    websocketPaths: [AWS_IOT_WEBSOCKET_PATH],
    claims: (attempt) => attempt.websocketPath === AWS_IOT_WEBSOCKET_PATH || (attempt.transport !== 'websocket' && attempt.clientCertificate !== undefined),
    async open(attempt, link) {
      let principal: JobsPrincipal;
      if (attempt.websocketPath === AWS_IOT_WEBSOCKET_PATH) {
        const request = attempt.upgradeRequest;
        const refusal = websocketSignatureRefusal(context.credentials, request?.url ?? AWS_IOT_WEBSOCKET_PATH, request?.headers ?? {});
        if (refusal) throw new ConnectRefused(CONNACK.notAuthorized, `the SigV4 WebSocket URL is refused: ${refusal}`);
        principal = { identity: attempt.clientId, mayUse: (thing) => context.aws.things.exists(thing), things: [], valid: () => true };
      } else {
        const certificate = certificates.presented(attempt.clientCertificate!);
        if (!certificate) throw new ConnectRefused(CONNACK.notAuthorized, 'the client certificate is not one of this account (CreateKeysAndCertificate)');
        if (certificate.status !== 'ACTIVE') throw new ConnectRefused(CONNACK.notAuthorized, `certificate ${certificate.id} is ${certificate.status}, not ACTIVE`);
        const id = certificate.id;
        // A certificate deactivated, revoked or deleted while connected ends the connection, as AWS IoT ends it;
        // until then (and for a detached thing) each message checks it anew.
        const valid = () => certificates.presented(attempt.clientCertificate!)?.status === 'ACTIVE';
        const mayUse = (thing: string) => valid() && certificates.thingsOf(id).includes(thing);
        principal = { identity: attempt.clientId, mayUse, things: certificates.thingsOf(id), valid };
      }
      return openJobsSession(context, principal, link);
    },
  };
}
