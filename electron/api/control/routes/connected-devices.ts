import type { FastifyInstance } from 'fastify';
import { ConnectedDevices } from '../schema/devices.js';

/** GET /connected-devices: real devices connected to the hub over MQTT now (docs/devices.md). */
export async function connectedDeviceRoutes(app: FastifyInstance): Promise<void> {
  const { hub } = app.services;
  app.get<{ Reply: ConnectedDevices }>('/connected-devices', { schema: { response: { 200: ConnectedDevices } } }, async () => ({
    value: hub.connected().map(({ deviceId, transport, since }) => ({ deviceId, transport, connectedAt: new Date(since).toISOString() })),
  }));
}
