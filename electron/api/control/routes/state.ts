import type { FastifyInstance } from 'fastify';
import { SNAPSHOT_FORMAT, type Snapshot } from '../../../domain/emulator-state.js';
import type { Services } from '../../../domain/services.js';
import { SNAPSHOT_BODY_POLICY } from '../../body-limits.js';
import { strictBody } from '../body-validation.js';

const SNAPSHOT_SCHEMA = {
  type: 'object',
  required: ['format', 'schemaVersion', 'data', 'jobFiles'],
  properties: {
    format: { const: SNAPSHOT_FORMAT },
    schemaVersion: { type: 'integer', minimum: 1 },
    exportedAt: { type: 'string' },
    data: {
      type: 'object',
      required: ['simulation', 'deviceTemplates', 'devices', 'fleets', 'deviceGroups', 'jobs'],
      properties: {
        simulation: { type: 'object', required: ['seed', 'timeScale', 'defaults'] },
        apiTokens: { type: 'object' },
        deviceTemplates: { type: 'object' },
        devices: { type: 'object' },
        deletedFleetDevices: { type: 'array', items: { type: 'string' } },
        fleets: { type: 'array', items: { type: 'object', required: ['prefix', 'first', 'count', 'template', 'simulated'] } },
        deviceGroups: { type: 'object' },
        organizations: { type: 'object' },
        jobs: { type: 'object' },
        scheduledJobs: { type: 'object' },
      },
    },
    jobFiles: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['targets', 'status'],
        properties: { targets: { type: 'array' }, status: { type: 'string', contentEncoding: 'base64' }, times: { type: 'string', contentEncoding: 'base64' } },
      },
    },
  },
} as const;

export async function stateRoutes(app: FastifyInstance, { services, snapshotBodyLimit }: { services: Services; snapshotBodyLimit: number }): Promise<void> {
  const { state } = services;

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
