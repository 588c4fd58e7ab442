import type { FastifyInstance } from 'fastify';
import { ClockAdvanceBody, SimulatedNow, Simulation, SimulationBody } from '../schema/simulation.js';

export async function simulationRoutes(app: FastifyInstance): Promise<void> {
  const { simulation } = app.services;

  app.get<{ Reply: Simulation }>('/simulation', { schema: { response: { 200: Simulation } } }, async () => simulation.get());

  app.put<{ Body: SimulationBody; Reply: Simulation }>(
    '/simulation',
    { schema: { body: SimulationBody, response: { 200: Simulation } } },
    async (request) => simulation.update(request.body),
  );

  app.post<{ Body: ClockAdvanceBody; Reply: SimulatedNow }>(
    '/clock/advance',
    { schema: { body: ClockAdvanceBody, response: { 200: SimulatedNow } } },
    async (request) => simulation.advanceClock(request.body.ms),
  );
}
