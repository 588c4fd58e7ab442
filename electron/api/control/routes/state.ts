import type { FastifyInstance } from 'fastify';
import type { Snapshot } from '../../../domain/emulator-state.js';
import { SNAPSHOT_BODY_POLICY } from '../../body-limits.js';
import { strictBody } from '../body-validation.js';
import { SNAPSHOT_SCHEMA } from '../snapshot-schema.js';

export async function stateRoutes(app: FastifyInstance, { snapshotBodyLimit }: { snapshotBodyLimit: number }): Promise<void> {
  const { state } = app.services;

  app.post('/reset', async (_request, reply) => {
    await state.reset();
    return reply.code(204).send();
  });

  app.get('/snapshot', async (_request, reply) =>
    reply.header('content-disposition', 'attachment; filename="fleetlab-snapshot.json"').send(await state.exportSnapshot()),
  );

  app.put<{ Body: Snapshot }>('/snapshot', { bodyLimit: snapshotBodyLimit, config: { bodyPolicy: SNAPSHOT_BODY_POLICY }, ...strictBody(SNAPSHOT_SCHEMA) }, async (request, reply) => {
    await state.importSnapshot(request.body);
    return reply.code(204).send();
  });
}
