import type { Server } from 'node:http';
import type { DomainLog, Supervisor } from '../domain/background.js';
import type { TlsMaterial } from '../tls/https-credentials.js';
import { DeviceBroker } from './broker.js';
import type { ProtocolRegistry } from './protocol-registry.js';

/** Where the broker listens (--mqtt-port, --mqtt-plain, --mqtt-plain-port). */
export interface MqttChoice {
  /** MQTT over TLS; 0 picks a free port. */
  port: number;
  /** Plain MQTT over TCP; none when absent. */
  plainPort?: number;
  /** Take a free port when `port` is in use (the desktop app, whose devices read the port from the UI). */
  anyPortIfTaken?: boolean;
}

/** What a device needs to reach Fleetlab, as GET /_fleetlab/info and the UI show it. */
export interface DeviceEndpoints {
  idScope: string;
  /** `host[:port]` for DPS; the port is left out when it is MQTT's TLS default, 8883. */
  provisioningHost: string;
  hubHost: string;
  mqttPort: number;
  /** MQTT over WebSockets on the API's own port. */
  websocketPath: string;
  /** The URL of the CA certificate devices must trust. */
  caCertificate: string;
}

export const IOT_HUB_WEBSOCKET_PATH = '/$iothub/websocket';
const MQTT_TLS_DEFAULT_PORT = 8883;

export interface DeviceListenerOptions {
  choice: MqttChoice;
  registry: ProtocolRegistry;
  tls: TlsMaterial;
  host: string;
  supervisor: Supervisor;
  log: DomainLog;
}

/** Starts the broker on its ports and takes MQTT-over-WebSocket upgrades on the HTTP(S) server. */
export async function startDeviceListeners(http: Server, options: DeviceListenerOptions): Promise<DeviceBroker> {
  const { choice, ...rest } = options;
  const start = (tlsPort: number) => DeviceBroker.start({ ...rest, tlsPort, ...(choice.plainPort !== undefined && { plainPort: choice.plainPort }) });
  let broker: DeviceBroker;
  try {
    broker = await start(choice.port);
  } catch (error) {
    if (!choice.anyPortIfTaken || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    broker = await start(0);
  }
  http.on('upgrade', (request, socket, head) => {
    if (!broker.handleUpgrade(request, socket, head)) socket.destroy();
  });
  return broker;
}

/** `hostname[:port]` of the broker's TLS listener, the port left out when it is MQTT's default. */
export function brokerHost(hostname: string, mqttPort: number): string {
  return mqttPort === MQTT_TLS_DEFAULT_PORT ? hostname : `${hostname}:${mqttPort}`;
}

/** The addresses devices use, named by `hostname` (what the server certificate lists). */
export function deviceEndpoints(hostname: string, mqttPort: number, idScope: string, apiOrigin: string): DeviceEndpoints {
  const host = brokerHost(hostname, mqttPort);
  return { idScope, provisioningHost: host, hubHost: host, mqttPort, websocketPath: IOT_HUB_WEBSOCKET_PATH, caCertificate: `${apiOrigin}/_fleetlab/ca.pem` };
}
