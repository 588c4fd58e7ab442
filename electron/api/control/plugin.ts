import type { FastifyInstance } from 'fastify';
import { requireCaller, requirePermission } from '../auth.js';
import type { BrowserSessions } from '../browser-session.js';
import { ACCEPTED_VERSIONS, STABLE_VERSION } from '../central/api-version.js';
import { centralErrorHandler } from '../central/errors.js';
import { answerUnknownRoutes, refuseEmptyPathParameters } from '../central/unknown-routes.js';
import type { DeviceEndpoints } from '../../mqtt/device-listeners.js';
import type { RequestLog } from '../request-log.js';
import { assignControlPermission } from './permissions.js';
import { awsFileRoutes } from './routes/aws-files.js';
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
import { Info } from './schema/info.js';
import { installControlSchemas } from './validation.js';

export interface ControlOptions {
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
  const { sessions } = options;
  app.setErrorHandler(centralErrorHandler);
  app.addHook('onRoute', assignControlPermission);
  installControlSchemas(app);
  app.addHook('onRequest', requireCaller(app.services.tokens, sessions));
  app.addHook('onRequest', refuseEmptyPathParameters);
  app.addHook('onRequest', async (request) => requirePermission(request));

  // No token here: the UI authenticates with its session, and a token handed to every reader would be anyone's.
  app.get<{ Reply: Info }>('/info', { schema: { response: { 200: Info } } }, async (request) => {
    const apiOrigin = `${request.protocol}://${request.headers.host}`;
    const devices = options.deviceEndpoints?.(apiOrigin);
    // s3Endpoint: the local S3's endpoint for S3 clients (path-style), where job files go.
    return {
      name: 'Fleetlab',
      version: options.version,
      apiOrigin,
      s3Endpoint: `${apiOrigin}/s3`,
      apiVersion: STABLE_VERSION,
      apiVersions: ACCEPTED_VERSIONS,
      ...(devices && { devices }),
    };
  });

  await app.register(fleetRoutes);
  await app.register(behaviorRoutes);
  await app.register(simulationRoutes);
  await app.register(stateRoutes, { snapshotBodyLimit: options.snapshotBodyLimit });
  await app.register(eventRoutes, { maxStreams: options.maxEventStreams });
  await app.register(jobViewRoutes);
  await app.register(fleetViewRoutes);
  await app.register(requestLogRoutes, { requestLog: options.requestLog });
  await app.register(awsJobRoutes);
  await app.register(awsFileRoutes);
  await app.register(sessionCodeRoutes, { sessions });
  await app.register(caCertificateRoutes, { caCertificate: options.caCertificate });
  await app.register(connectedDeviceRoutes);
  answerUnknownRoutes(app);
}
