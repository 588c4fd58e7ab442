import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifySchema, FastifySchemaValidationError, RouteShorthandOptions } from 'fastify';
import type { FastifyValidationResult } from 'fastify/types/schema.js';
import { invalid } from '../../domain/errors.js';

// Unlike Fastify's default, no type coercion and no silent removal of unknown fields: those are client errors.
const ajv = new Ajv({ allErrors: false, coerceTypes: false, removeAdditional: false, useDefaults: false, allowUnionTypes: true });

/** Route options that validate the JSON body strictly and answer a violation with a 422 naming the field. */
export function strictBody(body: object): RouteShorthandOptions {
  return {
    schema: { body } satisfies FastifySchema,
    validatorCompiler: ({ schema }) => compiledOnFirstUse(schema),
    schemaErrorFormatter: namedFieldError,
  };
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
