import type { FastifyInstance, FastifyRequest } from 'fastify';
import { installRawJsonBodies } from '../json-body.js';
import { serializeAsIs } from '../serialize-as-is.js';
import { awsErrorHandler, notImplemented, sendAwsError } from './errors.js';
import type { OperationHandlers } from './operation.js';
import { billingGroupOperations } from './operations/billing-groups.js';
import { certificateOperations } from './operations/certificates.js';
import { endpointOperations } from './operations/endpoint.js';
import { jobExecutionOperations } from './operations/job-executions.js';
import { jobTemplateOperations } from './operations/job-templates.js';
import { jobOperations } from './operations/jobs.js';
import { jobsDataOperations } from './operations/jobs-data.js';
import { managedTemplateOperations } from './operations/managed-templates.js';
import { thingGroupOperations } from './operations/thing-groups.js';
import { searchOperations } from './operations/search.js';
import { tagOperations } from './operations/tags.js';
import { thingTypeOperations } from './operations/thing-types.js';
import { thingOperations } from './operations/things.js';
import { RequestBinder } from './request-binding.js';
import { AWS_ERROR_BODY, modelSchemaDocument, operationResponseSchema } from './response-schema.js';
import { serializeOutput } from './response-serialization.js';
import { IOT_JOBS_DATA_MODEL, IOT_MODEL, routePathOf, type ServiceModel } from './service-model.js';
import { SignatureVerifier, type AwsCredentials, type VerifiedCaller } from './sigv4.js';

declare module 'fastify' {
  interface FastifyRequest {
    awsCaller?: VerifiedCaller;
  }
  interface FastifyContextConfig {
    /** The AWS service model operation a /aws or /aws-jobs-data route serves. */
    awsOperation?: string;
  }
}

export interface AwsApiOptions {
  credentials: AwsCredentials;
  maxJsonDepth: number;
}

/** Every control-plane operation Fleetlab answers; the model's others answer NotImplementedException. */
export const controlPlaneOperations: OperationHandlers = {
  ...thingOperations,
  ...thingGroupOperations,
  ...thingTypeOperations,
  ...billingGroupOperations,
  ...tagOperations,
  ...searchOperations,
  ...endpointOperations,
  ...jobOperations,
  ...jobExecutionOperations,
  ...jobTemplateOperations,
  ...managedTemplateOperations,
  ...certificateOperations,
};

/** The AWS IoT control plane (registry, tags, endpoints, jobs, job templates, certificates), mounted under /aws. */
export const awsApi = awsDialect(IOT_MODEL, controlPlaneOperations);

/** Every data-plane operation Fleetlab answers. */
export const dataPlaneOperations: OperationHandlers = jobsDataOperations;

/** The AWS IoT Jobs data plane, which device agents poll and report to, mounted under /aws-jobs-data. */
export const awsJobsDataApi = awsDialect(IOT_JOBS_DATA_MODEL, dataPlaneOperations);

/**
 * One AWS service as a Fastify plugin (REST-JSON, SigV4). Routes, input binding and output serialization all come
 * from its botocore service model; operations without a handler answer NotImplementedException.
 */
function awsDialect(model: ServiceModel, handlers: OperationHandlers) {
  return async (app: FastifyInstance, { credentials, maxJsonDepth }: AwsApiOptions): Promise<void> => {
    // Validators compile on an operation's first use: compiling the whole model costs start-up time.
    const binder = new RequestBinder(model);
    const verifier = new SignatureVerifier(credentials, model.metadata.signingName);
    const operationOf = (request: FastifyRequest) => {
      const name = request.routeOptions.config.awsOperation;
      return name === undefined ? undefined : model.operations[name];
    };

    app.decorateRequest('awsCaller', undefined);
    // The signature covers the exact body bytes, so bodies stay raw until an operation binds them.
    installRawJsonBodies(app, maxJsonDepth);
    app.setErrorHandler(awsErrorHandler(model, operationOf));
    app.addSchema(modelSchemaDocument(model));
    app.setSerializerCompiler(serializeAsIs);
    // A route rather than a not-found handler, so that the UI's static wildcard route does not answer here.
    app.all('/*', { schema: { response: { default: AWS_ERROR_BODY } } }, (request, reply) =>
      sendAwsError(
        request,
        reply,
        'NotImplementedException',
        `Fleetlab does not emulate an ${model.metadata.serviceFullName} operation at ${request.method} ${request.url.split('?')[0]}.`,
      ),
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
      const handler = handlers[operation.name];
      app.route({
        method: operation.http.method,
        url: routePathOf(operation.http.requestUri),
        config: { awsOperation: operation.name },
        // Input is bound and validated from the model by RequestBinder, which needs the raw body SigV4 covers.
        schema: { response: operationResponseSchema(model, operation) },
        handler: async (request, reply) => {
          const input = binder.bind(operation, {
            params: request.params as Record<string, string>,
            query: request.query as Record<string, string | string[] | undefined>,
            headers: request.headers,
            body: rawBody(request),
          });
          if (!handler) throw notImplemented(`the ${operation.name} operation`);
          const output = await handler(input as never, {
            services: app.services,
            region: request.awsCaller!.region,
            host: request.host,
            origin: `${request.protocol}://${request.host}`,
          });
          return reply
            .code(operation.http.responseCode ?? 200)
            .header('content-type', 'application/json')
            .header('x-amzn-requestid', request.id)
            .send(serializeOutput(model, operation.output?.shape, output ?? undefined));
        },
      });
    }
  };
}

const EMPTY = Buffer.alloc(0);

function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : EMPTY;
}
