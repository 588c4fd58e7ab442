import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { awsErrorHandler } from './aws/errors.js';
import { IOT_JOBS_DATA_MODEL, IOT_MODEL } from './aws/service-model.js';
import { centralErrorHandler } from './central/errors.js';
import { s3ErrorHandler } from './s3/s3-reply.js';

/**
 * The errors Fastify's router raises before any route is found (a path that does not percent-decode, such as a lone
 * `%`; a path parameter over maxParamLength), answered in the error shape of the API the path belongs to instead of
 * Fastify's own JSON, which no IoT Central, AWS or S3 client can read. No plugin's error handler runs for them.
 */
export function frameworkErrorHandler(s3Mount: string) {
  const awsControlPlane = awsErrorHandler(IOT_MODEL, () => undefined);
  const awsDataPlane = awsErrorHandler(IOT_JOBS_DATA_MODEL, () => undefined);
  const handlerFor = (path: string) => {
    if (isUnder(path, '/aws-jobs-data')) return awsDataPlane;
    if (isUnder(path, '/aws')) return awsControlPlane;
    if (isUnder(path, s3Mount)) return s3ErrorHandler;
    return centralErrorHandler;
  };
  // Each handler sends the reply itself; the reply it returns for chaining is not a result to wait for.
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    handlerFor(request.raw.url ?? '/')(error, request, reply);
  };
}

function isUnder(path: string, mount: string): boolean {
  return path === mount || path.startsWith(`${mount}/`) || path.startsWith(`${mount}?`);
}
