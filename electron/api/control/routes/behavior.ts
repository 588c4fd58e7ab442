import type { FastifyInstance } from 'fastify';
import type { BehaviorOverride, DeviceBehaviorInput } from '../../../domain/devices/behavior-profiles.js';
import { BEHAVIOR_SCHEMA } from '../behavior-schema.js';
import { strictBody } from '../body-validation.js';

// Overrides replace latencyMs as a whole, so both bounds are required there.
const TEMPLATE_BEHAVIOR = {
  ...BEHAVIOR_SCHEMA,
  properties: { ...BEHAVIOR_SCHEMA.properties, latencyMs: { ...BEHAVIOR_SCHEMA.properties.latencyMs, required: ['min', 'max'] } },
} as const;
const DEVICE_BEHAVIOR = {
  ...TEMPLATE_BEHAVIOR,
  properties: { ...TEMPLATE_BEHAVIOR.properties, online: { type: ['boolean', 'null'] }, external: { type: 'boolean' } },
} as const;

/** Simulation behaviour per device template and per device (failure rates, latency, connectivity). */
export async function behaviorRoutes(app: FastifyInstance): Promise<void> {
  const { behavior } = app.services;

  app.get<{ Params: { templateId: string } }>('/templates/:templateId/behavior', async (request) =>
    behavior.templateBehavior(request.params.templateId),
  );

  app.put<{ Params: { templateId: string }; Body: BehaviorOverride }>(
    '/templates/:templateId/behavior',
    strictBody(TEMPLATE_BEHAVIOR),
    async (request) => behavior.setTemplateBehavior(request.params.templateId, request.body),
  );

  app.get<{ Params: { deviceId: string } }>('/devices/:deviceId/behavior', async (request) => behavior.deviceBehavior(request.params.deviceId));

  app.put<{ Params: { deviceId: string }; Body: DeviceBehaviorInput }>(
    '/devices/:deviceId/behavior',
    strictBody(DEVICE_BEHAVIOR),
    async (request) => behavior.setDeviceBehavior(request.params.deviceId, request.body),
  );
}
