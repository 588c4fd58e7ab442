import { Type, type Static } from '@sinclair/typebox';

/** Real devices connected to the hub over MQTT now. */
export const ConnectedDevices = Type.Object({
  value: Type.Array(Type.Object({ deviceId: Type.String(), transport: Type.String(), connectedAt: Type.String({ format: 'date-time' }) })),
});

/** Where real devices connect (absent while no broker runs). */
export const DeviceEndpoints = Type.Object({
  idScope: Type.String(),
  /** `host[:port]` for DPS; the port is left out when it is MQTT's TLS default, 8883. */
  provisioningHost: Type.String(),
  hubHost: Type.String(),
  mqttPort: Type.Integer(),
  /** MQTT over WebSockets on the API's own port. */
  websocketPath: Type.String(),
  /** The URL of the CA certificate devices must trust. */
  caCertificate: Type.String(),
});

export type ConnectedDevices = Static<typeof ConnectedDevices>;
