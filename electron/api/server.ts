import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Services } from '../domain/services.js';
import { awsApi, awsJobsDataApi } from './aws/plugin.js';
import type { AwsCredentials } from './aws/sigv4.js';
import { DEFAULT_BODY_LIMITS, kibibytes, mebibytes, type BodyLimits } from './body-limits.js';
import { centralApi } from './central/plugin.js';
import { controlApi } from './control/plugin.js';
import { installJsonBodies } from './json-body.js';
import { OriginPolicy, SESSION_COOKIE } from './origin-policy.js';
import { installRequestLog, RequestLog } from './request-log.js';

export interface ServerOptions {
  services: Services;
  hostToken: string;
  version: string;
  /** Built renderer files; the UI is served at / when present. */
  rendererDir?: string;
  bodyLimits?: BodyLimits;
  /** Fastify's request log and the host's own (pino, see createLogger); none when absent. */
  logger?: FastifyBaseLogger;
  /** Credentials AWS SigV4 requests under /aws must be signed with. */
  awsCredentials: AwsCredentials;
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

export async function buildServer(options: ServerOptions): Promise<{ app: FastifyInstance; policy: OriginPolicy }> {
  const policy = new OriginPolicy();
  const limits = options.bodyLimits ?? DEFAULT_BODY_LIMITS;
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: kibibytes(limits.maxBodyKb),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // IoT Central ids may be 255 characters; longer ones reach the spec validation and get its 400.
    routerOptions: { maxParamLength: 1024 },
    return503OnClosing: true,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });
  installJsonBodies(app, limits.maxJsonDepth);

  await app.register(cookie);

  app.addHook('onRequest', async (request, reply) => {
    if (!policy.isOwnHost(request.headers.host)) {
      return reply
        .code(403)
        .header('content-type', 'text/plain; charset=utf-8')
        .send(`Fleetlab refuses requests addressed to "${request.headers.host ?? ''}"; use the address it printed.`);
    }
  });

  const requestLog = new RequestLog();
  installRequestLog(app, requestLog);

  await app.register(centralApi, { prefix: '/api', services: options.services, policy });
  const aws = { services: options.services, credentials: options.awsCredentials, maxJsonDepth: limits.maxJsonDepth };
  await app.register(awsApi, { prefix: '/aws', ...aws });
  await app.register(awsJobsDataApi, { prefix: '/aws-jobs-data', ...aws });
  await app.register(controlApi, {
    prefix: '/_fleetlab',
    services: options.services,
    policy,
    hostToken: options.hostToken,
    version: options.version,
    requestLog,
    snapshotBodyLimit: mebibytes(limits.maxSnapshotMb),
  });

  const rendererDir = options.rendererDir;
  if (rendererDir && existsSync(path.join(rendererDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: rendererDir, index: false, wildcard: true });
    app.get('/', (_request, reply) =>
      reply
        .setCookie(SESSION_COOKIE, policy.sessionValue, { httpOnly: true, sameSite: 'strict', path: '/' })
        .header('content-security-policy', CONTENT_SECURITY_POLICY)
        .header('cache-control', 'no-store')
        .sendFile('index.html'),
    );
  } else {
    app.get('/', (_request, reply) =>
      reply
        .code(503)
        .header('content-type', 'text/plain; charset=utf-8')
        .send('The Fleetlab UI is not built; run `npm run build`. The API is available under /api.'),
    );
  }
  return { app, policy };
}
