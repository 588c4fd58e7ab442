import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CentralError, CentralErrorBody, sendCentralError } from './errors.js';

export const noOperation = (request: FastifyRequest) => `No operation matches ${request.method} ${request.url.split('?')[0]}.`;

/**
 * An onRequest hook: a path whose id segment is empty (`PUT /api/deviceGroups/`) names no resource, so it is an
 * unknown route rather than a record with the id "".
 */
export async function refuseEmptyPathParameters(request: FastifyRequest): Promise<void> {
  const params = request.params as Record<string, string>;
  if (Object.entries(params).some(([name, value]) => name !== '*' && value === '')) throw new CentralError('NotFound', noOperation(request));
}

/**
 * Every path of the plugin's prefix that no route serves answers 404 NotFound in the IoT Central error shape,
 * after the plugin's authentication. Catch-all routes rather than only a not-found handler: the UI's static wildcard
 * route at / would otherwise answer GETs first, with Fastify's own 404 and without authenticating.
 */
export function answerUnknownRoutes(app: FastifyInstance): void {
  const handler = async (request: FastifyRequest) => {
    throw new CentralError('NotFound', noOperation(request));
  };
  const options = { schema: { response: { default: CentralErrorBody } } };
  app.all('/', options, handler);
  app.all('/*', options, handler);
  // Methods `all` does not cover reach the not-found handler, which runs the plugin's hooks as well.
  app.setNotFoundHandler((request, reply) => sendCentralError(request, reply, 'NotFound', noOperation(request)));
}
