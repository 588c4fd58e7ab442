import type { FastifyInstance } from 'fastify';
import type { Services } from '../../domain/services.js';
import { authenticate } from '../auth.js';
import { CentralError, centralErrorHandler, sendCentralError } from '../central/errors.js';
import { ACCEPTED_VERSIONS, STABLE_VERSION } from '../central/api-version.js';
import type { OriginPolicy } from '../origin-policy.js';
import type { RequestLog } from '../request-log.js';
import { awsJobRoutes } from './routes/aws-jobs.js';
import { behaviorRoutes } from './routes/behavior.js';
import { eventRoutes } from './routes/events.js';
import { fleetRoutes } from './routes/fleet.js';
import { fleetViewRoutes } from './routes/fleet-views.js';
import { jobViewRoutes } from './routes/jobs.js';
import { requestLogRoutes } from './routes/requests.js';
import { simulationRoutes } from './routes/simulation.js';
import { stateRoutes } from './routes/state.js';

export interface ControlOptions {
  services: Services;
  policy: OriginPolicy;
  /** The host's own token, handed to the UI so it can show a ready-made curl line. */
  hostToken: string;
  version: string;
  requestLog: RequestLog;
  /** Largest `PUT /snapshot` body, in bytes. */
  snapshotBodyLimit: number;
}

/** Fleetlab's own endpoints under /_fleetlab: same token auth and error shape as /api, no api-version. */
export async function controlApi(app: FastifyInstance, options: ControlOptions): Promise<void> {
  const { services, policy } = options;
  app.setErrorHandler(centralErrorHandler);
  app.setNotFoundHandler((request, reply) =>
    sendCentralError(request, reply, 'NotFound', `No operation matches ${request.method} ${request.url.split('?')[0]}.`),
  );
  app.addHook('onRequest', async (request) => {
    const principal = authenticate(request, services.tokens, policy);
    if (!principal) throw new CentralError('Unauthorized', 'The request has no valid API token in the Authorization header.');
    request.principal = principal;
  });

  app.get('/info', async (request) => ({
    name: 'Fleetlab',
    version: options.version,
    apiOrigin: `${request.protocol}://${request.headers.host}`,
    apiVersion: STABLE_VERSION,
    apiVersions: ACCEPTED_VERSIONS,
    token: options.hostToken,
  }));

  await app.register(fleetRoutes, { services });
  await app.register(behaviorRoutes, { services });
  await app.register(simulationRoutes, { services });
  await app.register(stateRoutes, { services, snapshotBodyLimit: options.snapshotBodyLimit });
  await app.register(eventRoutes, { services });
  await app.register(jobViewRoutes, { services });
  await app.register(fleetViewRoutes, { services });
  await app.register(requestLogRoutes, { requestLog: options.requestLog });
  await app.register(awsJobRoutes, { services });
}
