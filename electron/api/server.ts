import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Services } from '../domain/services.js';
import { awsApi, awsJobsDataApi } from './aws/plugin.js';
import type { AwsCredentials } from './aws/sigv4.js';
import { DEFAULT_BODY_LIMITS, kibibytes, mebibytes, type BodyLimits } from './body-limits.js';
import { BrowserSessions } from './browser-session.js';
import { azureCliSystemPaths } from './central/azure-cli-paths.js';
import { centralApi } from './central/plugin.js';
import type { TlsMaterial } from '../tls/https-credentials.js';
import type { DeviceEndpoints } from '../mqtt/device-listeners.js';
import { controlApi } from './control/plugin.js';
import { frameworkErrorHandler } from './framework-errors.js';
import { installJsonBodies } from './json-body.js';
import { OriginPolicy } from './origin-policy.js';
import { servicesPlugin } from './services-plugin.js';
import { installRequestLog, RequestLog } from './request-log.js';
import { uiRoutes } from './ui-routes.js';
import type { PresignedUrls } from './s3/presigned-urls.js';
import { s3Api } from './s3/plugin.js';

/** Where the local S3 is mounted: clients use `<origin>/s3` as their S3 endpoint, path-style. */
export const S3_MOUNT = '/s3';

export interface ServerOptions {
  services: Services;
  version: string;
  /** Built renderer files; the UI is served at / when present. */
  rendererDir?: string;
  bodyLimits?: BodyLimits;
  /** Fastify's request log and the host's own (pino, see createLogger); none when absent. */
  logger?: FastifyBaseLogger;
  /** Credentials AWS SigV4 requests under /aws and /s3 must be signed with. */
  awsCredentials: AwsCredentials;
  /** Makes and checks the local S3's presigned URLs (on the simulation clock). */
  presignedUrls: PresignedUrls;
  /** Server-Sent Event streams open at once under /_fleetlab/events. */
  maxEventStreams?: number;
  /** Check every IoT Central answer against its spec response schema (tests). */
  checkResponses?: boolean;
  /** Believe X-Forwarded-Proto / X-Forwarded-Host (--trust-proxy): nextLinks then name the proxy's address. */
  trustProxy?: boolean;
  /** Serve HTTPS, not HTTP, with this certificate. */
  tls?: TlsMaterial;
  /** Fleetlab's own CA certificate (PEM), served at GET /_fleetlab/ca.pem. */
  caCertificate?: string;
  /** Where real devices connect, for GET /_fleetlab/info; undefined while no broker runs. */
  deviceEndpoints?: (apiOrigin: string) => DeviceEndpoints | undefined;
}

export async function buildServer(options: ServerOptions): Promise<{ app: FastifyInstance; policy: OriginPolicy; sessions: BrowserSessions }> {
  const policy = new OriginPolicy();
  const limits = options.bodyLimits ?? DEFAULT_BODY_LIMITS;
  const sessions = new BrowserSessions(policy);
  const app = Fastify({
    // One Fastify instance type either way: the routes do not care which server carries them.
    ...(options.tls && ({ https: options.tls } as object)),
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: kibibytes(limits.maxBodyKb),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // IoT Central ids may be 255 characters; longer ones reach the spec validation and get its 400.
    routerOptions: { maxParamLength: 1024 },
    frameworkErrors: frameworkErrorHandler(S3_MOUNT),
    return503OnClosing: true,
    trustProxy: options.trustProxy ?? false,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });
  installJsonBodies(app, limits.maxJsonDepth);

  await app.register(cookie);
  await app.register(servicesPlugin, { services: options.services });

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

  await app.register(centralApi, { prefix: '/api', sessions, checkResponses: options.checkResponses ?? false });
  await app.register(azureCliSystemPaths, { prefix: '/system', sessions });
  const aws = { credentials: options.awsCredentials, maxJsonDepth: limits.maxJsonDepth };
  await app.register(awsApi, { prefix: '/aws', ...aws });
  await app.register(awsJobsDataApi, { prefix: '/aws-jobs-data', ...aws });
  await app.register(s3Api, { prefix: S3_MOUNT, s3: options.services.s3, credentials: options.awsCredentials, presigned: options.presignedUrls, mount: S3_MOUNT });
  await app.register(controlApi, {
    prefix: '/_fleetlab',
    sessions,
    version: options.version,
    requestLog,
    snapshotBodyLimit: mebibytes(limits.maxSnapshotMb),
    maxEventStreams: options.maxEventStreams,
    caCertificate: options.caCertificate,
    deviceEndpoints: options.deviceEndpoints,
  });

  await app.register(uiRoutes, { sessions, rendererDir: options.rendererDir });
  return { app, policy, sessions };
}
