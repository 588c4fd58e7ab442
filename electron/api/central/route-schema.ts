import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import type { Permission } from '../../domain/roles.js';
import { serializeAsIs } from '../serialize-as-is.js';
import { SPEC_VERSIONS, type SpecVersion } from './api-version.js';
import { CentralError } from './errors.js';
import { violationText } from './spec-errors.js';
import { requestSchemas, responseSchemas, specOperation, validatePart, validateResponse, type RequestPart } from './spec-validation.js';

/**
 * One part of a route's schema: for each spec version that defines the operation, that version's JSON Schema (null
 * when the version declares nothing there). Several api-versions share one route, so the part's validator picks the
 * schema of the request's own spec version (`request.specVersion`, nearest-spec.ts) when the request arrives.
 */
interface VersionedSchema {
  'x-iotcentral-operation': string;
  'x-iotcentral-part': RequestPart | `response ${string}`;
  'x-iotcentral-versions': Partial<Record<SpecVersion, object | null>>;
}

const versioned = (operationId: string, part: VersionedSchema['x-iotcentral-part'], versions: VersionedSchema['x-iotcentral-versions']): VersionedSchema => ({
  'x-iotcentral-operation': operationId,
  'x-iotcentral-part': part,
  'x-iotcentral-versions': versions,
});

/** params, querystring, body and response of an operation, derived from both spec files when the route registers. */
function centralSchema(operationId: string): FastifySchema {
  const operations = SPEC_VERSIONS.map((version) => specOperation(version, operationId)).filter((operation) => operation !== undefined);
  const statuses = new Set(operations.flatMap((operation) => Object.keys(operation.responses)));
  return {
    params: versioned(operationId, 'path', requestSchemas(operationId, 'path')),
    querystring: versioned(operationId, 'query', requestSchemas(operationId, 'query')),
    ...(operations.some((operation) => operation.requestBody) && { body: versioned(operationId, 'body', requestSchemas(operationId, 'body')) }),
    response: Object.fromEntries([...statuses].map((status) => [status, versioned(operationId, `response ${status}`, responseSchemas(operationId, status))])),
  };
}

/** Route options of an IoT Central operation: its spec-derived schema, and the permission its caller's role needs. */
export function centralRoute(operationId: string, permission?: Permission) {
  return { schema: centralSchema(operationId), config: { operation: operationId, ...(permission && { permission }) } };
}

interface ValidatorContext {
  parentData?: FastifyRequest;
}

type PartValidator = ((data: unknown, context?: ValidatorContext) => true | { error: Error }) & { schemaEnv?: unknown };

/**
 * The dialect's validatorCompiler. A part's validator answers a violation with the CentralError the service gives
 * (400 for path and query, 422 for the body), so the plugin's error handler sends it as it is.
 */
function compileCentralValidator({ schema }: { schema: unknown }): PartValidator {
  const { 'x-iotcentral-part': part, 'x-iotcentral-versions': versions } = schema as VersionedSchema;
  if (part !== 'path' && part !== 'query' && part !== 'body') throw new Error(`An IoT Central route schema has no request part "${String(part)}".`);
  const validate: PartValidator = (data, context) => {
    const request = context?.parentData;
    if (!request?.specVersion) throw new Error('The IoT Central validator was called without its request.');
    // The body is read from the request: Fastify hands a missing body over as null, and null is a body too.
    const violation = validatePart(part, versions[request.specVersion], part === 'body' ? request.body : data);
    if (!violation) return true;
    return { error: new CentralError(part === 'body' ? 'UnprocessableEntity' : 'BadRequest', violationText(violation)) };
  };
  // Fastify hands a validator that has `schemaEnv` (as Ajv's validators do) the request as `parentData`; that is
  // how the validator learns the request's spec version.
  validate.schemaEnv = schema;
  return validate;
}

/** Route schemas of the IoT Central dialect validate with the compiler above; responses go out as the handler built them. */
export function installCentralSchemas(app: FastifyInstance): void {
  app.setValidatorCompiler(compileCentralValidator);
  app.setSerializerCompiler(serializeAsIs);
}

/**
 * For tests: every answer of an operation is checked against the response schema of its status in the request's spec
 * version before it is sent, and one that breaks it becomes a 500 naming the violation, so no test reads an answer
 * the spec does not allow without failing.
 */
export function checkAnswersAgainstSpec(app: FastifyInstance): void {
  app.addHook('preSerialization', async (request, reply, payload) => {
    const operationId = request.routeOptions.config.operation;
    if (!operationId || !request.specVersion) return payload;
    const violation = validateResponse(request.specVersion, operationId, reply.statusCode, payload);
    if (violation) throw new CentralError('InternalServerError', `The ${operationId} answer ${reply.statusCode} breaks the ${request.specVersion} spec: ${violationText(violation)}`);
    return payload;
  });
}
