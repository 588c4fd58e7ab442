import type { FastifyInstance } from 'fastify';
import type { Services } from '../../domain/services.js';
import { requireCaller, requirePermission } from '../auth.js';
import type { BrowserSessions } from '../browser-session.js';
import { specVersionOf, type SpecVersion } from './api-version.js';
import { centralErrorHandler, invalidApiVersion } from './errors.js';
import { apiTokenRoutes } from './routes/api-tokens.js';
import { deviceGroupRoutes } from './routes/device-groups.js';
import { deviceIdentityRoutes } from './routes/device-identity.js';
import { deviceTelemetryRoutes } from './routes/device-telemetry.js';
import { deviceTemplateRoutes } from './routes/device-templates.js';
import { deviceRoutes } from './routes/devices.js';
import { enrollmentGroupRoutes } from './routes/enrollment-groups.js';
import { jobRoutes } from './routes/jobs.js';
import { organizationRoutes } from './routes/organizations.js';
import { roleRoutes } from './routes/roles.js';
import { scheduledJobRoutes } from './routes/scheduled-jobs.js';
import { unsupportedOperationRoutes } from './routes/unsupported.js';
import { translateQuery } from './nearest-spec.js';
import { collapseRepeatedQuery } from './repeated-query.js';
import { installSpecValidation } from './spec-hook.js';
import { acceptStringBooleans } from './string-booleans.js';
import { answerUnknownRoutes, refuseEmptyPathParameters } from './unknown-routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The api-version as the client sent it, e.g. 2022-06-30-preview. */
    apiVersion: string;
    /** The spec file that validates it: its own, or the nearest one (nearest-spec.ts). */
    specVersion: SpecVersion;
  }
  interface FastifyContextConfig {
    operation?: string;
  }
}

export interface CentralOptions {
  services: Services;
  sessions: BrowserSessions;
}

/** The IoT Central data-plane dialect, mounted under /api. */
export async function centralApi(app: FastifyInstance, { services, sessions }: CentralOptions): Promise<void> {
  app.decorateRequest('apiVersion', '');
  app.decorateRequest('specVersion', undefined as unknown as SpecVersion);
  app.setErrorHandler(centralErrorHandler);

  app.addHook('onRequest', requireCaller(services.tokens, sessions));
  app.addHook('onRequest', refuseEmptyPathParameters);
  app.addHook('onRequest', collapseRepeatedQuery);
  app.addHook('onRequest', async (request) => {
    const apiVersion = (request.query as Record<string, string | undefined>)['api-version'];
    const version = specVersionOf(apiVersion);
    if (!version) throw invalidApiVersion(apiVersion);
    request.apiVersion = apiVersion!;
    request.specVersion = version;
    translateQuery(request, request.apiVersion);
    requirePermission(request);
  });
  app.addHook('preValidation', acceptStringBooleans);
  installSpecValidation(app);

  await app.register(jobRoutes, { services });
  await app.register(apiTokenRoutes, { services });
  await app.register(roleRoutes);
  await app.register(deviceRoutes, { services });
  await app.register(deviceTemplateRoutes, { services });
  await app.register(deviceGroupRoutes, { services });
  await app.register(organizationRoutes, { services });
  await app.register(scheduledJobRoutes, { services });
  await app.register(deviceIdentityRoutes, { services });
  await app.register(deviceTelemetryRoutes, { services });
  await app.register(enrollmentGroupRoutes, { services });
  // Last: it fills in whatever operation of the emulated areas the routes above leave out.
  await app.register(unsupportedOperationRoutes);
  // The areas not emulated (users, enrollment groups, dashboards, data export, …) and unknown paths.
  answerUnknownRoutes(app);
}
