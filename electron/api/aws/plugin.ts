import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../domain/services.js';
import { awsErrorHandler, notImplemented, sendAwsError } from './errors.js';
import type { OperationHandlers } from './operation.js';
import { jobExecutionOperations } from './operations/job-executions.js';
import { jobTemplateOperations } from './operations/job-templates.js';
import { jobOperations } from './operations/jobs.js';
import { thingGroupOperations } from './operations/thing-groups.js';
import { thingOperations } from './operations/things.js';
import { RequestBinder } from './request-binding.js';
import { serializeOutput } from './response-serialization.js';
import { IOT_MODEL, routePathOf } from './service-model.js';
import { SignatureVerifier, type AwsCredentials, type VerifiedCaller } from './sigv4.js';

declare module 'fastify' {
  interface FastifyRequest {
    awsCaller?: VerifiedCaller;
  }
  interface FastifyContextConfig {
    /** The AWS service model operation a /aws route serves. */
    awsOperation?: string;
  }
}

export interface AwsApiOptions {
  services: Services;
  credentials: AwsCredentials;
}

const HANDLERS: OperationHandlers = {
  ...thingOperations,
  ...thingGroupOperations,
  ...jobOperations,
  ...jobExecutionOperations,
  ...jobTemplateOperations,
};

/**
 * The AWS IoT control-plane dialect (REST-JSON, SigV4), mounted under /aws. Routes, input binding and output
 * serialization all come from the botocore service model; operations without a handler answer NotImplementedException.
 */
export async function awsApi(app: FastifyInstance, { services, credentials }: AwsApiOptions): Promise<void> {
  const model = IOT_MODEL;
  const binder = new RequestBinder(model);
  binder.compileAll();
  const verifier = new SignatureVerifier(credentials, model.metadata.signingName);
  const operationOf = (request: FastifyRequest) => {
    const name = request.routeOptions.config.awsOperation;
    return name === undefined ? undefined : model.operations[name];
  };

  app.decorateRequest('awsCaller', undefined);
  // The signature covers the exact body bytes, so bodies stay raw until an operation binds them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.setErrorHandler(awsErrorHandler(operationOf));
  // A route rather than a not-found handler, so that the UI's static wildcard route does not answer under /aws.
  app.all('/*', (request, reply) =>
    sendAwsError(request, reply, 'NotImplementedException', `Fleetlab does not emulate an AWS IoT operation at ${request.method} ${request.url.split('?')[0]}.`),
  );
  app.addHook('preHandler', async (request) => {
    request.awsCaller = await verifier.verify({
      method: request.method,
      rawUrl: request.raw.url ?? request.url,
      headers: request.headers,
      body: rawBody(request),
    });
  });

  for (const operation of Object.values(model.operations)) {
    const handler = HANDLERS[operation.name];
    app.route({
      method: operation.http.method,
      url: routePathOf(operation.http.requestUri),
      config: { awsOperation: operation.name },
      handler: async (request, reply) => {
        const input = binder.bind(operation, {
          params: request.params as Record<string, string>,
          query: request.query as Record<string, string | string[] | undefined>,
          headers: request.headers,
          body: rawBody(request),
        });
        if (!handler) throw notImplemented(`the ${operation.name} operation`);
        const output = await handler(input as never, { services, region: request.awsCaller!.region });
        return reply
          .code(operation.http.responseCode ?? 200)
          .header('content-type', 'application/json')
          .header('x-amzn-requestid', request.id)
          .send(serializeOutput(model, operation.output?.shape, output ?? undefined));
      },
    });
  }
}

const EMPTY = Buffer.alloc(0);

function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : EMPTY;
}
