import type { AwsCredentials } from '../api/aws/sigv4.js';
import type { Supervisor } from '../domain/background.js';
import type { Services } from '../domain/services.js';
import { awsIotProtocol } from './aws/aws-iot-protocol.js';
import { iotHubProtocol } from './iothub/iothub-protocol.js';
import type { ProtocolRegistry } from './protocol-registry.js';

export interface ProtocolContext {
  services: Services;
  /** `host[:port]` of the broker's TLS listener, as devices are told to reach it. */
  hubHost(): string;
  /** What AWS IoT's SigV4 WebSocket URLs are signed with. */
  awsCredentials: AwsCredentials;
  /** Runs AWS IoT's job notifications, which no message waits for. */
  supervisor: Supervisor;
  /** The emulator's HTTP(S) origin once it listens (presigned URLs in AWS job documents point there). */
  apiOrigin(): string;
}

/** Every device protocol the broker speaks; each adds itself here and nowhere else. */
export function registerDeviceProtocols(registry: ProtocolRegistry, { services, hubHost, awsCredentials, supervisor, apiOrigin }: ProtocolContext): void {
  registry.register(iotHubProtocol({ hub: services.hub, credentials: services.credentials, hubHost }));
  registry.register(awsIotProtocol({ aws: services.aws, clock: services.clock, supervisor, credentials: awsCredentials, apiOrigin }));
}
