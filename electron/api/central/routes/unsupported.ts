import type { FastifyInstance, HTTPMethods } from 'fastify';
import { SPEC_VERSIONS } from '../api-version.js';
import { CentralError } from '../errors.js';
import { centralRoute } from '../route-schema.js';
import { specOperations } from '../spec-validation.js';

/** The spec areas Fleetlab emulates; paths of the others (users, dashboards, ...) are unknown routes (404). */
const EMULATED_AREAS = ['/devices', '/deviceGroups', '/deviceTemplates', '/jobs', '/scheduledJobs', '/apiTokens', '/roles', '/organizations', '/enrollmentGroups'];

/**
 * Registers, after every implemented route, each operation of the emulated areas that has no route yet, answering
 * 501 NotImplemented in the IoT Central error shape instead of a 404 that would read as "no such device". The spec
 * validation still runs first, so bad input keeps its 4xx.
 */
export async function unsupportedOperationRoutes(app: FastifyInstance): Promise<void> {
  for (const version of SPEC_VERSIONS) {
    for (const operation of specOperations(version)) {
      if (!EMULATED_AREAS.some((area) => operation.path === area || operation.path.startsWith(`${area}/`))) continue;
      const url = operation.path.replace(/\{(\w+)\}/g, ':$1');
      const method = operation.method as HTTPMethods;
      if (app.hasRoute({ method, url: `${app.prefix}${url}` })) continue;
      app.route({
        method,
        url,
        ...centralRoute(operation.operationId),
        handler: async () => {
          throw new CentralError('NotImplemented', `Fleetlab does not implement ${operation.operationId} (${operation.method} ${operation.path}).`);
        },
      });
    }
  }
}
