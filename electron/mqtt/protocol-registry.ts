import type { ConnectAttempt, DeviceProtocol } from './device-protocol.js';

/** The device protocols the broker serves; each plugs in without knowing the others. */
export class ProtocolRegistry {
  private readonly protocols: DeviceProtocol[] = [];

  register(protocol: DeviceProtocol): void {
    if (this.protocols.some((known) => known.name === protocol.name)) throw new Error(`MQTT protocol "${protocol.name}" is registered twice`);
    const taken = this.websocketPaths();
    const clash = protocol.websocketPaths.find((path) => taken.includes(path));
    if (clash) throw new Error(`WebSocket path "${clash}" is already served by another MQTT protocol`);
    this.protocols.push(protocol);
  }

  /** The protocol that claims the attempt, if any does. */
  protocolFor(attempt: ConnectAttempt): DeviceProtocol | undefined {
    return this.protocols.find((protocol) => protocol.claims(attempt));
  }

  websocketPaths(): string[] {
    return this.protocols.flatMap((protocol) => protocol.websocketPaths);
  }
}
