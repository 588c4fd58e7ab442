import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../domain/services.js';

/** GET /connected-devices: real devices connected to the hub over MQTT now (docs/devices.md). */
export async function connectedDeviceRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  app.get('/connected-devices', async () => ({
    value: services.hub.connected().map(({ deviceId, transport, since }) => ({ deviceId, transport, connectedAt: new Date(since).toISOString() })),
  }));
}
