import type { FastifyInstance } from 'fastify';
import type { SimulationInput } from '../../../domain/simulation-settings.js';
import { BEHAVIOR_SCHEMA } from '../behavior-schema.js';
import { strictBody } from '../body-validation.js';

const SIMULATION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    seed: { type: 'integer', minimum: 0, maximum: 4_294_967_295 },
    timeScale: { type: 'number', minimum: 0, maximum: 1_000_000 },
    defaults: BEHAVIOR_SCHEMA,
  },
} as const;

const ADVANCE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['ms'],
  properties: { ms: { type: 'integer', minimum: 0, maximum: 10 * 365 * 24 * 3600_000 } },
} as const;

export async function simulationRoutes(app: FastifyInstance): Promise<void> {
  const { simulation } = app.services;

  app.get('/simulation', async () => simulation.get());

  app.put<{ Body: SimulationInput }>('/simulation', strictBody(SIMULATION_SCHEMA), async (request) =>
    simulation.update(request.body),
  );

  app.post<{ Body: { ms: number } }>('/clock/advance', strictBody(ADVANCE_SCHEMA), async (request) =>
    simulation.advanceClock(request.body.ms),
  );
}
