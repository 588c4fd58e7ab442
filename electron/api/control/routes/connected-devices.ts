import type { FastifyInstance } from 'fastify';
import { ConnectedDevices } from '../schema/devices.js';

/** GET /connected-devices: real devices connected over MQTT now, to the hub or as AWS IoT things (docs/devices.md). */
export async function connectedDeviceRoutes(app: FastifyInstance): Promise<void> {
  const { hub, aws } = app.services;
  app.get<{ Reply: ConnectedDevices }>('/connected-devices', { schema: { response: { 200: ConnectedDevices } } }, async () => ({
    value: [
      ...hub.connected().map(({ deviceId, transport, since }) => ({ deviceId, transport, connectedAt: new Date(since).toISOString() })),
      ...aws.connected.list().map(({ thingName, transport, since }) => ({ deviceId: thingName, transport, connectedAt: new Date(since).toISOString() })),
    ],
  }));
}
