import type { FastifyInstance } from 'fastify';
import { FleetBody, FleetCreated, Fleets } from '../schema/fleet.js';

/** Bulk fleets: `<idPrefix>-1` .. `<idPrefix>-<count>` created as one range record. */
export async function fleetRoutes(app: FastifyInstance): Promise<void> {
  const { devices } = app.services;

  app.post<{ Body: FleetBody; Reply: FleetCreated }>(
    '/fleet',
    { schema: { body: FleetBody, response: { 201: FleetCreated } } },
    async (request, reply) => reply.code(201).send(await devices.createFleet(request.body, () => performance.now())),
  );

  app.get<{ Reply: Fleets }>('/fleet', { schema: { response: { 200: Fleets } } }, async () => ({
    total: devices.count(),
    fleets: [...devices.fleets()],
  }));
}
