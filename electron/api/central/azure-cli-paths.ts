import type { FastifyInstance } from 'fastify';
import { requireCaller } from '../auth.js';
import type { BrowserSessions } from '../browser-session.js';
import { serializeAsIs } from '../serialize-as-is.js';
import { centralErrorHandler } from './errors.js';
import { answerUnknownRoutes } from './unknown-routes.js';

/**
 * /system: the Azure CLI's IoT Central commands call `/system/iothub/...` and `/system/iotedge/...` for device
 * twins and modules, which Fleetlab does not emulate. They answer like any unknown /api path, so the CLI reports a
 * 401 or a NotFound it understands instead of the UI's HTML.
 */
export async function azureCliSystemPaths(app: FastifyInstance, { sessions }: { sessions: BrowserSessions }): Promise<void> {
  app.setErrorHandler(centralErrorHandler);
  app.setSerializerCompiler(serializeAsIs);
  app.addHook('onRequest', requireCaller(app.services.tokens, sessions));
  answerUnknownRoutes(app);
}
