import type { Services } from '../domain/services.js';
import { iotHubProtocol } from './iothub/iothub-protocol.js';
import type { ProtocolRegistry } from './protocol-registry.js';

export interface ProtocolContext {
  services: Services;
  /** `host[:port]` of the broker's TLS listener, as devices are told to reach it. */
  hubHost(): string;
}

/** Every device protocol the broker speaks; each adds itself here and nowhere else. */
export function registerDeviceProtocols(registry: ProtocolRegistry, { services, hubHost }: ProtocolContext): void {
  registry.register(iotHubProtocol({ hub: services.hub, credentials: services.credentials, hubHost }));
}
