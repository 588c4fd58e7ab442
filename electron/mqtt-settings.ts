import { UsageError } from './headless.js';
import type { MqttChoice } from './mqtt/device-listeners.js';

/** The `fleetlab serve` flags for the device MQTT broker, in node:util parseArgs form. */
export const MQTT_FLAGS = {
  'mqtt-port': { type: 'string' },
  'mqtt-plain': { type: 'boolean' },
  'mqtt-plain-port': { type: 'string' },
} as const;

export const DEFAULT_MQTT_PORT = 8883;
const DEFAULT_MQTT_PLAIN_PORT = 1883;

export const MQTT_HELP = [
  `  --mqtt-port <n>            MQTT over TLS for real devices (IoT Hub SDKs, DPS); 0 picks a free one (default ${DEFAULT_MQTT_PORT},`,
  '                             or a free one when --port is 0, so that emulators started side by side never collide)',
  '                             MQTT over WebSockets is always on the --port, at /$iothub/websocket',
  `  --mqtt-plain               also accept MQTT without TLS, for local tools such as mosquitto_sub`,
  `  --mqtt-plain-port <n>      the port of --mqtt-plain (default ${DEFAULT_MQTT_PLAIN_PORT}, free with --port 0; 0 picks a free one)`,
].join('\n');

interface MqttValues {
  'mqtt-port'?: string;
  'mqtt-plain'?: boolean;
  'mqtt-plain-port'?: string;
}

/** The broker's ports; `httpPort` 0 (a free port) makes the MQTT ports default to free ones too. */
export function mqttChoice(values: MqttValues, httpPort: number): MqttChoice {
  const fallback = (port: number) => String(httpPort === 0 ? 0 : port);
  if (values['mqtt-plain-port'] !== undefined && !values['mqtt-plain']) throw new UsageError('--mqtt-plain-port is the port of --mqtt-plain; give --mqtt-plain too');
  return {
    port: portOf('--mqtt-port', values['mqtt-port'] ?? fallback(DEFAULT_MQTT_PORT)),
    ...(values['mqtt-plain'] && { plainPort: portOf('--mqtt-plain-port', values['mqtt-plain-port'] ?? fallback(DEFAULT_MQTT_PLAIN_PORT)) }),
  };
}

function portOf(flag: string, text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`${flag} must be a number from 0 to 65535, got "${text}"`);
  return port;
}
