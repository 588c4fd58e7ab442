import type { FastifyInstance, RouteOptions } from 'fastify';
import { SPEC_VERSIONS } from './api-version.js';
import { CentralError } from './errors.js';
import { refuseWhatTheVersionLacks, versionDefines } from './nearest-spec.js';
import { specOperation } from './spec-validation.js';

/**
 * What the route's schema cannot say, checked before Fastify validates it: an operation the request's api-version
 * does not define answers 404, and what that version refuses in a body its nearest file accepts answers 422
 * (nearest-spec.ts). A route whose operation, method, path parameters or schema do not match the spec fails at
 * startup rather than on the first request.
 */
export function installVersionGate(app: FastifyInstance): void {
  app.addHook('onRoute', checkRouteAgainstSpec);
  app.addHook('preValidation', async (request) => {
    const operationId = request.routeOptions.config.operation;
    if (!operationId) return;
    if (!specOperation(request.specVersion, operationId) || !versionDefines(request.apiVersion, operationId)) {
      throw new CentralError('NotFound', `${operationId} is not part of IoT Central API version ${request.apiVersion}.`);
    }
    refuseWhatTheVersionLacks(request, request.apiVersion);
  });
}

function checkRouteAgainstSpec(route: RouteOptions): void {
  const operationId = (route.config as { operation?: string } | undefined)?.operation;
  if (!operationId) return;
  const operations = SPEC_VERSIONS.map((version) => specOperation(version, operationId)).filter((operation) => operation !== undefined);
  const problem = (detail: string) => new Error(`The route ${String(route.method)} ${route.url} names operation ${operationId}, ${detail}.`);
  if (operations.length === 0) throw problem('which neither IoT Central spec defines');
  if ((route.schema?.querystring as { 'x-iotcentral-operation'?: string } | undefined)?.['x-iotcentral-operation'] !== operationId) {
    throw problem('but does not carry its schema (route options come from centralRoute())');
  }
  const routeParams = new Set([...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]));
  for (const operation of operations) {
    // Fastify adds a HEAD route for every GET route, with the same config.
    const methods = [route.method].flat().map((method) => (method === 'HEAD' ? 'GET' : method));
    if (!methods.includes(operation.method)) throw problem(`which the spec defines as ${operation.method} ${operation.path}`);
    const missing = operation.parameters.filter((parameter) => parameter.in === 'path' && !routeParams.has(parameter.name));
    if (missing.length > 0) throw problem(`but lacks the spec's path parameter ${missing.map((parameter) => `:${parameter.name}`).join(', ')}`);
  }
}
