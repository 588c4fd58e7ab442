import type { FastifyInstance } from 'fastify';
import type { Services } from '../../domain/services.js';
import { requireCaller, requirePermission } from '../auth.js';
import type { BrowserSessions } from '../browser-session.js';
import { ACCEPTED_VERSIONS, STABLE_VERSION } from '../central/api-version.js';
import { centralErrorHandler } from '../central/errors.js';
import { answerUnknownRoutes, refuseEmptyPathParameters } from '../central/unknown-routes.js';
import type { DeviceEndpoints } from '../../mqtt/device-listeners.js';
import type { RequestLog } from '../request-log.js';
import { assignControlPermission } from './permissions.js';
import { awsJobRoutes } from './routes/aws-jobs.js';
import { behaviorRoutes } from './routes/behavior.js';
import { caCertificateRoutes } from './routes/ca-certificate.js';
import { connectedDeviceRoutes } from './routes/connected-devices.js';
import { eventRoutes } from './routes/events.js';
import { fleetRoutes } from './routes/fleet.js';
import { fleetViewRoutes } from './routes/fleet-views.js';
import { jobViewRoutes } from './routes/jobs.js';
import { requestLogRoutes } from './routes/requests.js';
import { sessionCodeRoutes } from './routes/session-codes.js';
import { simulationRoutes } from './routes/simulation.js';
import { stateRoutes } from './routes/state.js';

export interface ControlOptions {
  services: Services;
  sessions: BrowserSessions;
  version: string;
  requestLog: RequestLog;
  /** Largest `PUT /snapshot` body, in bytes. */
  snapshotBodyLimit: number;
  /** Server-Sent Event streams open at once (GET /events); 100 when absent. */
  maxEventStreams?: number;
  /** Fleetlab's own CA certificate (PEM) when it serves HTTPS with it. */
  caCertificate?: string;
  /** Where real devices connect; undefined while no broker runs. */
  deviceEndpoints?: (apiOrigin: string) => DeviceEndpoints | undefined;
}

/**
 * Fleetlab's own endpoints under /_fleetlab: same token auth, roles and error shape as /api, no api-version. Each
 * route's permission comes from CONTROL_PERMISSIONS.
 */
export async function controlApi(app: FastifyInstance, options: ControlOptions): Promise<void> {
  const { services, sessions } = options;
  app.setErrorHandler(centralErrorHandler);
  app.addHook('onRoute', assignControlPermission);
  app.addHook('onRequest', requireCaller(services.tokens, sessions));
  app.addHook('onRequest', refuseEmptyPathParameters);
  app.addHook('onRequest', async (request) => requirePermission(request));

  // No token here: the UI authenticates with its session, and a token handed to every reader would be anyone's.
  app.get('/info', async (request) => {
    const apiOrigin = `${request.protocol}://${request.headers.host}`;
    const devices = options.deviceEndpoints?.(apiOrigin);
    return { name: 'Fleetlab', version: options.version, apiOrigin, apiVersion: STABLE_VERSION, apiVersions: ACCEPTED_VERSIONS, ...(devices && { devices }) };
  });

  await app.register(fleetRoutes, { services });
  await app.register(behaviorRoutes, { services });
  await app.register(simulationRoutes, { services });
  await app.register(stateRoutes, { services, snapshotBodyLimit: options.snapshotBodyLimit });
  await app.register(eventRoutes, { services, maxStreams: options.maxEventStreams });
  await app.register(jobViewRoutes, { services });
  await app.register(fleetViewRoutes, { services });
  await app.register(requestLogRoutes, { requestLog: options.requestLog });
  await app.register(awsJobRoutes, { services });
  await app.register(sessionCodeRoutes, { sessions });
  await app.register(caCertificateRoutes, { caCertificate: options.caCertificate });
  await app.register(connectedDeviceRoutes, { services });
  answerUnknownRoutes(app);
}
