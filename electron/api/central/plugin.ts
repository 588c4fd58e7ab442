import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../domain/services.js';
import { roleAllows, type Permission } from '../../domain/roles.js';
import { authenticate } from '../auth.js';
import type { OriginPolicy } from '../origin-policy.js';
import { specVersionOf, type SpecVersion } from './api-version.js';
import { CentralError, centralErrorHandler, invalidApiVersion, sendCentralError } from './errors.js';
import { apiTokenRoutes } from './routes/api-tokens.js';
import { deviceGroupRoutes } from './routes/device-groups.js';
import { deviceIdentityRoutes } from './routes/device-identity.js';
import { deviceTelemetryRoutes } from './routes/device-telemetry.js';
import { deviceTemplateRoutes } from './routes/device-templates.js';
import { deviceRoutes } from './routes/devices.js';
import { jobRoutes } from './routes/jobs.js';
import { organizationRoutes } from './routes/organizations.js';
import { roleRoutes } from './routes/roles.js';
import { scheduledJobRoutes } from './routes/scheduled-jobs.js';
import { unsupportedOperationRoutes } from './routes/unsupported.js';
import { installSpecValidation } from './spec-hook.js';

export interface CentralRouteConfig {
  /** The spec's operationId, which names the request and response schemas. */
  operation: string;
  permission: Permission;
}

declare module 'fastify' {
  interface FastifyRequest {
    specVersion: SpecVersion;
  }
  interface FastifyContextConfig {
    operation?: string;
    permission?: Permission;
  }
}

export interface CentralOptions {
  services: Services;
  policy: OriginPolicy;
}

/** The IoT Central data-plane dialect, mounted under /api. */
export async function centralApi(app: FastifyInstance, { services, policy }: CentralOptions): Promise<void> {
  app.decorateRequest('specVersion', undefined as unknown as SpecVersion);
  app.setErrorHandler(centralErrorHandler);
  app.setNotFoundHandler((request, reply) =>
    sendCentralError(request, reply, 'NotFound', `No operation matches ${request.method} ${request.url.split('?')[0]}.`),
  );

  app.addHook('onRequest', async (request) => {
    const principal = authenticate(request, services.tokens, policy);
    if (!principal) throw new CentralError('Unauthorized', 'The request has no valid API token in the Authorization header.');
    request.principal = principal;
    const apiVersion = (request.query as Record<string, string | undefined>)['api-version'];
    const version = specVersionOf(apiVersion);
    if (!version) throw invalidApiVersion(apiVersion);
    request.specVersion = version;
    requirePermission(request);
  });
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
  // Last: it fills in whatever operation of the emulated areas the routes above leave out.
  await app.register(unsupportedOperationRoutes);
}

function requirePermission(request: FastifyRequest): void {
  const permission = request.routeOptions.config.permission;
  if (permission && !roleAllows(request.principal?.roles ?? [], permission)) {
    throw new CentralError('Forbidden', `The API token's role does not allow this operation.`);
  }
}
