import type { FastifyInstance } from 'fastify';
import type { FleetInput } from '../../../domain/devices/device-catalog.js';
import { strictBody } from '../body-validation.js';

const FLEET_BODY = {
  type: 'object',
  required: ['template', 'count', 'idPrefix'],
  additionalProperties: false,
  properties: {
    template: { type: 'string', minLength: 1 },
    count: { type: 'integer', minimum: 1, maximum: 10_000_000 },
    idPrefix: { type: 'string', pattern: '^[a-zA-Z0-9-]+$', maxLength: 110 },
    simulated: { type: 'boolean' },
  },
} as const;

/** Bulk fleets: `<idPrefix>-1` .. `<idPrefix>-<count>` created as one range record. */
export async function fleetRoutes(app: FastifyInstance): Promise<void> {
  const { devices } = app.services;

  app.post<{ Body: FleetInput }>(
    '/fleet',
    strictBody(FLEET_BODY),
    async (request, reply) => reply.code(201).send(await devices.createFleet(request.body, () => performance.now())),
  );

  app.get('/fleet', async () => ({ total: devices.count(), fleets: devices.fleets() }));
}
