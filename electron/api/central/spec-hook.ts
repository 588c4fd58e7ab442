import type { FastifyInstance, RouteOptions } from 'fastify';
import { PREVIEW_VERSION, STABLE_VERSION, type SpecVersion } from './api-version.js';
import { CentralError } from './errors.js';
import { refuseWhatTheVersionLacks, versionDefines } from './nearest-spec.js';
import { violationText } from './spec-errors.js';
import { specOperation, validateRequest } from './spec-validation.js';

const SPEC_VERSIONS: SpecVersion[] = [STABLE_VERSION, PREVIEW_VERSION];

/**
 * Validates every request of a route that names its spec operation (`config.operation`) against that operation of
 * the request's spec version: path and query violations answer 400, body violations 422. A route whose operation
 * or path parameters do not match the spec fails at startup rather than on the first request.
 */
export function installSpecValidation(app: FastifyInstance): void {
  app.addHook('onRoute', checkRouteAgainstSpec);
  app.addHook('preValidation', async (request) => {
    const operationId = request.routeOptions.config.operation;
    if (!operationId) return;
    if (!specOperation(request.specVersion, operationId) || !versionDefines(request.apiVersion, operationId)) {
      throw new CentralError('NotFound', `${operationId} is not part of IoT Central API version ${request.apiVersion}.`);
    }
    refuseWhatTheVersionLacks(request, request.apiVersion);
    const violation = validateRequest(request.specVersion, operationId, request);
    if (violation) throw new CentralError(violation.location === 'body' ? 'UnprocessableEntity' : 'BadRequest', violationText(violation));
  });
}

function checkRouteAgainstSpec(route: RouteOptions): void {
  const operationId = (route.config as { operation?: string } | undefined)?.operation;
  if (!operationId) return;
  const operations = SPEC_VERSIONS.map((version) => specOperation(version, operationId)).filter((operation) => operation !== undefined);
  const problem = (detail: string) => new Error(`The route ${String(route.method)} ${route.url} names operation ${operationId}, ${detail}.`);
  if (operations.length === 0) throw problem('which neither IoT Central spec defines');
  const routeParams = new Set([...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]));
  for (const operation of operations) {
    // Fastify adds a HEAD route for every GET route, with the same config.
    const methods = [route.method].flat().map((method) => (method === 'HEAD' ? 'GET' : method));
    if (!methods.includes(operation.method)) throw problem(`which the spec defines as ${operation.method} ${operation.path}`);
    const missing = operation.parameters.filter((parameter) => parameter.in === 'path' && !routeParams.has(parameter.name));
    if (missing.length > 0) throw problem(`but lacks the spec's path parameter ${missing.map((parameter) => `:${parameter.name}`).join(', ')}`);
  }
}
