import type { FastifyInstance } from 'fastify';
import { ClockAdvanceBody, SimulatedNow, Simulation, SimulationBody } from '../schema/simulation.js';
import type { Static } from '@sinclair/typebox';

export async function simulationRoutes(app: FastifyInstance): Promise<void> {
  const { simulation } = app.services;

  app.get<{ Reply: Static<typeof Simulation> }>('/simulation', { schema: { response: { 200: Simulation } } }, async () => simulation.get());

  app.put<{ Body: Static<typeof SimulationBody>; Reply: Static<typeof Simulation> }>(
    '/simulation',
    { schema: { body: SimulationBody, response: { 200: Simulation } } },
    async (request) => simulation.update(request.body),
  );

  app.post<{ Body: Static<typeof ClockAdvanceBody>; Reply: Static<typeof SimulatedNow> }>(
    '/clock/advance',
    { schema: { body: ClockAdvanceBody, response: { 200: SimulatedNow } } },
    async (request) => simulation.advanceClock(request.body.ms),
  );
}
