import type { FastifyInstance } from 'fastify';
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
import { checkAnswersAgainstSpec, installCentralSchemas } from './route-schema.js';
import { acceptStringBooleans } from './string-booleans.js';
import { answerUnknownRoutes, refuseEmptyPathParameters } from './unknown-routes.js';
import { installVersionGate } from './version-gate.js';

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
  sessions: BrowserSessions;
  /** Answer 500 when an answer breaks its spec response schema (tests). */
  checkResponses: boolean;
}

/** The IoT Central data-plane dialect, mounted under /api. */
export async function centralApi(app: FastifyInstance, { sessions, checkResponses }: CentralOptions): Promise<void> {
  app.decorateRequest('apiVersion', '');
  app.decorateRequest('specVersion', undefined as unknown as SpecVersion);
  app.setErrorHandler(centralErrorHandler);

  app.addHook('onRequest', requireCaller(app.services.tokens, sessions));
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
  installVersionGate(app);
  installCentralSchemas(app);
  if (checkResponses) checkAnswersAgainstSpec(app);

  await app.register(jobRoutes);
  await app.register(apiTokenRoutes);
  await app.register(roleRoutes);
  await app.register(deviceRoutes);
  await app.register(deviceTemplateRoutes);
  await app.register(deviceGroupRoutes);
  await app.register(organizationRoutes);
  await app.register(scheduledJobRoutes);
  await app.register(deviceIdentityRoutes);
  await app.register(deviceTelemetryRoutes);
  await app.register(enrollmentGroupRoutes);
  // Last: it fills in whatever operation of the emulated areas the routes above leave out.
  await app.register(unsupportedOperationRoutes);
  // The areas not emulated (users, enrollment groups, dashboards, data export, …) and unknown paths.
  answerUnknownRoutes(app);
}
