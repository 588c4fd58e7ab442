import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import type { SpecVersion } from './api-version.js';
import { firstViolation, type SpecViolation } from './spec-errors.js';
import { READ_ONLY_IN_REQUEST, loadSpec, type SpecDocument, type SpecOperation, type SwaggerParameter } from './spec-schemas.js';

export type { SpecViolation } from './spec-errors.js';
export type { SpecOperation } from './spec-schemas.js';

export interface RequestParts {
  params?: unknown;
  query?: unknown;
  body?: unknown;
}

const RFC_1123 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

function newAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ coerceTypes, strictTypes: false });
  ajvFormats.default(ajv);
  ajv.addFormat('date-time-rfc1123', RFC_1123);
  return ajv;
}

/** Schemas compile on first use and stay cached; each spec file is read once per process. */
class SpecValidators {
  private readonly bodies = newAjv(false);
  // Path and query values arrive as strings while the spec types them (maxpagesize is an int32).
  private readonly parameters = newAjv(true);
  private readonly specs = new Map<SpecVersion, SpecDocument>();
  private readonly compiled = new Map<string, ValidateFunction | null>();

  constructor() {
    this.bodies.addKeyword({
      keyword: READ_ONLY_IN_REQUEST,
      modifying: true,
      schema: false,
      validate: (_value: unknown, context?: { parentData: Record<string | number, unknown>; parentDataProperty: string | number }) => {
        if (context) delete context.parentData[context.parentDataProperty];
        return true;
      },
    });
  }

  operation(version: SpecVersion, operationId: string): SpecOperation | undefined {
    let spec = this.specs.get(version);
    if (!spec) {
      spec = loadSpec(version);
      for (const document of spec.schemas) this.bodies.addSchema(document);
      this.specs.set(version, spec);
    }
    return spec.operations.get(operationId);
  }

  body(version: SpecVersion, operation: SpecOperation, status?: string): ValidateFunction | null {
    const schema = status === undefined ? operation.requestBody : operation.responses[status];
    return this.cached(`${version} ${operation.operationId} ${status ?? 'request'}`, () => (schema ? this.bodies.compile(schema) : null));
  }

  parameterSet(version: SpecVersion, operation: SpecOperation, location: 'path' | 'query'): ValidateFunction | null {
    return this.cached(`${version} ${operation.operationId} ${location}`, () => {
      const declared = operation.parameters.filter((parameter) => parameter.in === location);
      if (declared.length === 0) return null;
      return this.parameters.compile({
        type: 'object',
        properties: Object.fromEntries(declared.map((parameter) => [parameter.name, parameterSchema(parameter)])),
        required: declared.filter((parameter) => parameter.required).map((parameter) => parameter.name),
      });
    });
  }

  private cached(key: string, compile: () => ValidateFunction | null): ValidateFunction | null {
    if (!this.compiled.has(key)) this.compiled.set(key, compile());
    return this.compiled.get(key)!;
  }
}

/** A Swagger path or query parameter carries its schema keywords inline, next to name, in and description. */
function parameterSchema({ type, format, pattern, minLength, maxLength, minimum, maximum, enum: values }: SwaggerParameter): object {
  const schema = { type, format, pattern, minLength, maxLength, minimum, maximum, enum: values };
  return Object.fromEntries(Object.entries(schema).filter(([, value]) => value !== undefined));
}

const validators = new SpecValidators();

export function specOperation(version: SpecVersion, operationId: string): SpecOperation | undefined {
  return validators.operation(version, operationId);
}

/**
 * Checks a request's path parameters, query parameters and body against the operation, in that order, and returns
 * the first violation. readOnly properties of the body are accepted whatever they hold and removed from it.
 */
export function validateRequest(version: SpecVersion, operationId: string, request: RequestParts): SpecViolation | undefined {
  const operation = requireOperation(version, operationId);
  for (const location of ['path', 'query'] as const) {
    const validate = validators.parameterSet(version, operation, location);
    // A copy: type coercion must not rewrite what the route handler reads.
    if (validate && !validate({ ...(location === 'path' ? request.params : request.query) as object })) {
      return firstViolation(location, validate.errors);
    }
  }
  const validateBody = validators.body(version, operation);
  if (!validateBody) return undefined;
  if (request.body === undefined) return { location: 'body', field: '', message: 'is required' };
  return validateBody(request.body) ? undefined : firstViolation('body', validateBody.errors);
}

/** Checks a response body against the operation's response for that status, falling back to `default` for errors. */
export function validateResponse(version: SpecVersion, operationId: string, status: number, body: unknown): SpecViolation | undefined {
  const operation = requireOperation(version, operationId);
  const declared = String(status) in operation.responses ? String(status) : status >= 400 && 'default' in operation.responses ? 'default' : undefined;
  if (declared === undefined) {
    const statuses = Object.keys(operation.responses).filter((key) => key !== 'default');
    return { location: 'body', field: '', message: `comes with status ${status}, which ${operationId} does not return (it returns ${statuses.join(', ')})` };
  }
  const validate = validators.body(version, operation, declared);
  if (!validate) return body === undefined || body === null || body === '' ? undefined : { location: 'body', field: '', message: `must be empty for status ${status}` };
  return validate(body) ? undefined : firstViolation('body', validate.errors);
}

function requireOperation(version: SpecVersion, operationId: string): SpecOperation {
  const operation = validators.operation(version, operationId);
  if (!operation) throw new Error(`The IoT Central ${version} spec has no operation ${operationId}.`);
  return operation;
}
