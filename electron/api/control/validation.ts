import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchemaValidationError } from 'fastify';
import type { FastifyValidationResult } from 'fastify/types/schema.js';
import { invalid } from '../../domain/errors.js';
import { CentralErrorBody } from '../central/errors.js';
import { IOT_MODEL } from '../aws/service-model.js';
import { MODEL_PATTERN, schemaDefinitions } from '../aws/shape-schema.js';
import { serializeAsIs } from '../serialize-as-is.js';

/**
 * The control API's one Ajv. Unlike Fastify's default, no type coercion and no silent removal of unknown fields:
 * those are client errors. The AWS IoT service model's shapes are in it as `model`, so the AWS job bodies are
 * checked with exactly CreateJob's limits.
 */
const ajv = new Ajv({ allErrors: false, coerceTypes: false, removeAdditional: false, useDefaults: false, allowUnionTypes: true, strict: false });
ajvFormats.default(ajv);
ajv.addKeyword(MODEL_PATTERN);
ajv.addSchema({ $id: 'model', definitions: schemaDefinitions(IOT_MODEL) });

/**
 * The control plugin's compilers: its routes' TypeBox schemas validate with the Ajv above (a body violation is a 422
 * naming the field, a query violation a 400), and responses are sent as the handler built them (serialize-as-is.ts).
 * Every route answers errors in the IoT Central shape, so each gets that as its `default` response.
 */
export function installControlSchemas(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, response: { default: CentralErrorBody, ...(route.schema?.response as object | undefined) } };
  });
  app.setValidatorCompiler(({ schema }) => compiledOnFirstUse(schema as object));
  app.setSchemaErrorFormatter((errors, dataVar) => (dataVar === 'body' ? namedFieldError(errors, dataVar) : partError(errors, dataVar)));
  app.setSerializerCompiler(serializeAsIs);
}

/** Compiling every control route's schema at start cost a tenth of a second of start-up; each compiles when first used. */
function compiledOnFirstUse(schema: object): FastifyValidationResult {
  let validate: ValidateFunction | undefined;
  const check: FastifyValidationResult = (data: unknown) => {
    validate ??= ajv.compile(schema);
    const valid = validate(data);
    check.errors = validate.errors as FastifySchemaValidationError[] | null | undefined;
    return valid;
  };
  return check;
}

function namedFieldError(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const first = errors[0];
  if (!first) return invalid(`The ${dataVar} is invalid.`);
  const params = first.params as { missingProperty?: string; additionalProperty?: string };
  const missing = first.keyword === 'required' ? params.missingProperty : undefined;
  const extra = first.keyword === 'additionalProperties' ? params.additionalProperty : undefined;
  const path = [...first.instancePath.split('/').filter(Boolean), missing ?? extra].filter(Boolean).join('.');
  const message = extra ? 'is not a known field' : missing ? 'is required' : first.message;
  return invalid(`${path || dataVar}: ${message}.`);
}

/** Query and path violations read as Fastify's own (`querystring/status must be equal to one of the allowed values`). */
function partError(errors: FastifySchemaValidationError[], dataVar: string): Error {
  return new Error(errors.map((error) => `${dataVar}${error.instancePath} ${error.message ?? 'is invalid'}`).join(', '));
}
