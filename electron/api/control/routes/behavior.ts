import type { FastifyInstance } from 'fastify';
import { DeviceBehavior, DeviceBehaviorBody, TemplateBehavior, TemplateBehaviorBody } from '../schema/simulation.js';

type TemplateRoute = { Params: { templateId: string }; Reply: TemplateBehavior };
type DeviceRoute = { Params: { deviceId: string }; Reply: DeviceBehavior };

/** Simulation behaviour per device template and per device (failure rates, latency, connectivity). */
export async function behaviorRoutes(app: FastifyInstance): Promise<void> {
  const { behavior } = app.services;

  app.get<TemplateRoute>('/templates/:templateId/behavior', { schema: { response: { 200: TemplateBehavior } } }, async (request) =>
    behavior.templateBehavior(request.params.templateId),
  );

  app.put<TemplateRoute & { Body: TemplateBehaviorBody }>(
    '/templates/:templateId/behavior',
    { schema: { body: TemplateBehaviorBody, response: { 200: TemplateBehavior } } },
    async (request) => behavior.setTemplateBehavior(request.params.templateId, request.body),
  );

  app.get<DeviceRoute>('/devices/:deviceId/behavior', { schema: { response: { 200: DeviceBehavior } } }, async (request) =>
    behavior.deviceBehavior(request.params.deviceId),
  );

  app.put<DeviceRoute & { Body: DeviceBehaviorBody }>(
    '/devices/:deviceId/behavior',
    { schema: { body: DeviceBehaviorBody, response: { 200: DeviceBehavior } } },
    async (request) => behavior.setDeviceBehavior(request.params.deviceId, request.body),
  );
}
