import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../domain/services.js';

/** GET /connected-devices: real devices connected over MQTT now, to the hub or as AWS IoT things (docs/devices.md). */
export async function connectedDeviceRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  app.get('/connected-devices', async () => ({
    value: [
      ...services.hub.connected().map(({ deviceId, transport, since }) => ({ deviceId, transport, connectedAt: new Date(since).toISOString() })),
      ...services.aws.connected.list().map(({ thingName, transport, since }) => ({ deviceId: thingName, transport, connectedAt: new Date(since).toISOString() })),
    ],
  }));
}
