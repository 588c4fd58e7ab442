import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { SPEC_VERSIONS, type SpecVersion } from './api-version.js';
import { firstViolation, type SpecViolation } from './spec-errors.js';
import { READ_ONLY_IN_REQUEST, loadSpec, type SpecDocument, type SpecOperation, type SwaggerParameter } from './spec-schemas.js';

export type { SpecViolation } from './spec-errors.js';
export type { SpecOperation } from './spec-schemas.js';

/** Which part of a request a schema checks. */
export type RequestPart = 'path' | 'query' | 'body';

export interface RequestParts {
  params?: unknown;
  query?: unknown;
  body?: unknown;
}

const RFC_1123 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * The IoT Central dialect's one Ajv, over both spec files: every route's params, querystring, body and response
 * schema compiles here, on first use (compiling every operation of both files at start costs a second), and stays
 * cached. No type coercion: path and query values are strings, converted on a copy by `typedParameters`.
 */
class SpecValidators {
  private readonly ajv = new Ajv({ coerceTypes: false, strictTypes: false });
  private readonly specs = new Map<SpecVersion, SpecDocument>();
  private readonly parameterSets = new Map<string, object | null>();
  private readonly compiled = new WeakMap<object, ValidateFunction>();

  constructor() {
    ajvFormats.default(this.ajv);
    this.ajv.addFormat('date-time-rfc1123', RFC_1123);
    this.ajv.addKeyword({
      keyword: READ_ONLY_IN_REQUEST,
      modifying: true,
      schema: false,
      validate: (_value: unknown, context?: { parentData: Record<string | number, unknown>; parentDataProperty: string | number }) => {
        if (context) delete context.parentData[context.parentDataProperty];
        return true;
      },
    });
  }

  spec(version: SpecVersion): SpecDocument {
    let spec = this.specs.get(version);
    if (!spec) {
      spec = loadSpec(version);
      for (const document of spec.schemas) this.ajv.addSchema(document);
      this.specs.set(version, spec);
    }
    return spec;
  }

  /** The JSON Schema of one request part of an operation; null when the operation declares nothing there. */
  requestSchema(version: SpecVersion, operation: SpecOperation, part: RequestPart): object | null {
    if (part === 'body') return operation.requestBody ?? null;
    const key = `${version} ${operation.operationId} ${part}`;
    if (!this.parameterSets.has(key)) this.parameterSets.set(key, parameterSetSchema(operation, part));
    return this.parameterSets.get(key)!;
  }

  validator(schema: object): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    return validate;
  }
}

function parameterSetSchema(operation: SpecOperation, location: 'path' | 'query'): object | null {
  const declared = operation.parameters.filter((parameter) => parameter.in === location);
  if (declared.length === 0) return null;
  return {
    type: 'object',
    properties: Object.fromEntries(declared.map((parameter) => [parameter.name, parameterSchema(parameter)])),
    required: declared.filter((parameter) => parameter.required).map((parameter) => parameter.name),
  };
}

/** A Swagger path or query parameter carries its schema keywords inline, next to name, in and description. */
function parameterSchema({ type, format, pattern, minLength, maxLength, minimum, maximum, enum: values }: SwaggerParameter): object {
  const schema = { type, format, pattern, minLength, maxLength, minimum, maximum, enum: values };
  return Object.fromEntries(Object.entries(schema).filter(([, value]) => value !== undefined));
}

const NUMBER_TEXT = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Path and query values arrive as strings while the spec types some (maxpagesize is an int32, unmodeled a boolean).
 * A copy with those converted, so that the handler still reads what the client sent; a value that does not convert
 * stays a string and fails the type.
 */
function typedParameters(schema: object, values: unknown): Record<string, unknown> {
  const typed: Record<string, unknown> = { ...(values as object) };
  const properties = (schema as { properties: Record<string, { type?: string }> }).properties;
  for (const [name, value] of Object.entries(typed)) {
    const type = Object.hasOwn(properties, name) ? properties[name]!.type : undefined;
    if (typeof value !== 'string') continue;
    if ((type === 'integer' || type === 'number') && NUMBER_TEXT.test(value)) typed[name] = Number(value);
    else if (type === 'boolean' && (value === 'true' || value === 'false')) typed[name] = value === 'true';
  }
  return typed;
}

const validators = new SpecValidators();

export function specOperation(version: SpecVersion, operationId: string): SpecOperation | undefined {
  return validators.spec(version).operations.get(operationId);
}

export function specOperations(version: SpecVersion): Iterable<SpecOperation> {
  return validators.spec(version).operations.values();
}

/** For each spec version that defines the operation, the JSON Schema of one part of its request (null: none declared). */
export function requestSchemas(operationId: string, part: RequestPart): Partial<Record<SpecVersion, object | null>> {
  return bySpecVersion(operationId, (version, operation) => validators.requestSchema(version, operation, part));
}

/** For each spec version that defines the operation, the JSON Schema of its response with that status (null: no body). */
export function responseSchemas(operationId: string, status: string): Partial<Record<SpecVersion, object | null>> {
  return bySpecVersion(operationId, (_version, operation) => operation.responses[status] ?? null);
}

function bySpecVersion(operationId: string, schemaOf: (version: SpecVersion, operation: SpecOperation) => object | null) {
  const schemas: Partial<Record<SpecVersion, object | null>> = {};
  for (const version of SPEC_VERSIONS) {
    const operation = specOperation(version, operationId);
    if (operation) schemas[version] = schemaOf(version, operation);
  }
  return schemas;
}

/**
 * Checks one part of a request against its schema. readOnly properties of a body are accepted whatever they hold
 * and removed from it; a body the operation requires but the request lacks is a violation.
 */
export function validatePart(part: RequestPart, schema: object | null | undefined, value: unknown): SpecViolation | undefined {
  if (!schema) return undefined;
  const validate = validators.validator(schema);
  if (part === 'body') {
    if (value === undefined) return { location: 'body', field: '', message: 'is required' };
    return validate(value) ? undefined : firstViolation('body', validate.errors);
  }
  return validate(typedParameters(schema, value)) ? undefined : firstViolation(part, validate.errors);
}

/** Checks a request's path parameters, query parameters and body against the operation, in that order, and returns the first violation. */
export function validateRequest(version: SpecVersion, operationId: string, request: RequestParts): SpecViolation | undefined {
  const operation = requireOperation(version, operationId);
  const values: Record<RequestPart, unknown> = { path: request.params, query: request.query, body: request.body };
  for (const part of ['path', 'query', 'body'] as const) {
    const violation = validatePart(part, validators.requestSchema(version, operation, part), values[part]);
    if (violation) return violation;
  }
  return undefined;
}

/** Checks a response body against the operation's response for that status, falling back to `default` for errors. */
export function validateResponse(version: SpecVersion, operationId: string, status: number, body: unknown): SpecViolation | undefined {
  const operation = requireOperation(version, operationId);
  const declared = String(status) in operation.responses ? String(status) : status >= 400 && 'default' in operation.responses ? 'default' : undefined;
  if (declared === undefined) {
    const statuses = Object.keys(operation.responses).filter((key) => key !== 'default');
    return { location: 'body', field: '', message: `comes with status ${status}, which ${operationId} does not return (it returns ${statuses.join(', ')})` };
  }
  const schema = operation.responses[declared];
  if (!schema) return body === undefined || body === null || body === '' ? undefined : { location: 'body', field: '', message: `must be empty for status ${status}` };
  const validate = validators.validator(schema);
  return validate(body) ? undefined : firstViolation('body', validate.errors);
}

function requireOperation(version: SpecVersion, operationId: string): SpecOperation {
  const operation = specOperation(version, operationId);
  if (!operation) throw new Error(`The IoT Central ${version} spec has no operation ${operationId}.`);
  return operation;
}
