import type { FastifyInstance } from 'fastify';
import type { Snapshot } from '../../../domain/emulator-state.js';
import { SNAPSHOT_BODY_POLICY } from '../../body-limits.js';
import { NoContent } from '../schema/common.js';
import { SNAPSHOT_SCHEMA } from '../snapshot-schema.js';

export async function stateRoutes(app: FastifyInstance, { snapshotBodyLimit }: { snapshotBodyLimit: number }): Promise<void> {
  const { state } = app.services;

  app.post('/reset', { schema: { response: { 204: NoContent } } }, async (_request, reply) => {
    await state.reset();
    return reply.code(204).send();
  });

  // What GET exports is what PUT imports, so one schema describes both.
  app.get('/snapshot', { schema: { response: { 200: SNAPSHOT_SCHEMA } } }, async (_request, reply) =>
    reply.header('content-disposition', 'attachment; filename="fleetlab-snapshot.json"').send(await state.exportSnapshot()),
  );

  app.put<{ Body: Snapshot }>(
    '/snapshot',
    { bodyLimit: snapshotBodyLimit, config: { bodyPolicy: SNAPSHOT_BODY_POLICY }, schema: { body: SNAPSHOT_SCHEMA, response: { 204: NoContent } } },
    async (request, reply) => {
      await state.importSnapshot(request.body);
      return reply.code(204).send();
    },
  );
}
