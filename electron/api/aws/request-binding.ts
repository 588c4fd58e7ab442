import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { AwsError } from './errors.js';
import { shapeOf, type Operation, type ServiceModel, type Shape } from './service-model.js';
import { MODEL_PATTERN, schemaDefinitions } from './shape-schema.js';

/** The pieces of an HTTP request that model members may be bound from. */
export interface RequestParts {
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body, empty when none was sent. */
  body: Buffer;
}

/**
 * Builds an operation's input from the request as the model's http traits say (uri, querystring, header and
 * body members) and validates it against the input shape: required members, types, enums, lengths, ranges and
 * patterns. A violation is an InvalidRequestException naming the member, in the service's wording.
 */
export class RequestBinder {
  private readonly ajv = new Ajv({ strict: false, allErrors: false, verbose: true });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly model: ServiceModel) {
    this.ajv.addKeyword(MODEL_PATTERN);
    this.ajv.addSchema({ $id: 'model', definitions: schemaDefinitions(model) });
  }

  bind(operation: Operation, parts: RequestParts): Record<string, unknown> {
    if (!operation.input) return {};
    const shape = shapeOf(this.model, operation.input.shape);
    const input: Record<string, unknown> = {};
    let hasBodyMembers = false;
    for (const [name, member] of Object.entries(shape.members ?? {})) {
      const wireName = member.locationName ?? name;
      const memberShape = shapeOf(this.model, member.shape);
      if (member.location === 'uri') setIfPresent(input, name, coerce(memberShape, parts.params[wireName]));
      else if (member.location === 'querystring') setIfPresent(input, name, coerce(memberShape, parts.query[wireName]));
      else if (member.location === 'header') setIfPresent(input, name, coerce(memberShape, parts.headers[wireName.toLowerCase()]));
      else if (member.location === undefined) hasBodyMembers = true;
    }
    if (hasBodyMembers) Object.assign(input, this.parseBody(parts.body, shape, input));
    const validate = this.validator(operation.input.shape);
    if (!validate(input)) throw new AwsError('InvalidRequestException', `1 validation error detected: ${describe(validate.errors![0]!)}`);
    return input;
  }

  private parseBody(body: Buffer, shape: Shape, bound: Record<string, unknown>): Record<string, unknown> {
    if (body.length === 0) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new AwsError('InvalidRequestException', `The request body is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new AwsError('InvalidRequestException', 'The request body must be a JSON object.');
    }
    const members = shape.members ?? {};
    for (const name of Object.keys(parsed)) {
      const location = Object.hasOwn(members, name) ? members[name]!.location : undefined;
      if (location !== undefined || Object.hasOwn(bound, name)) {
        throw new AwsError('InvalidRequestException', `'${name}' is not a body member of this operation; it belongs in the ${location ?? 'request'}.`);
      }
    }
    return parsed as Record<string, unknown>;
  }

  private validator(shapeName: string): ValidateFunction {
    let validate = this.validators.get(shapeName);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `model#/definitions/${shapeName}` });
      this.validators.set(shapeName, validate);
    }
    return validate;
  }
}

function setIfPresent(target: Record<string, unknown>, name: string, value: unknown): void {
  if (value !== undefined) target[name] = value;
}

/** Uri, query and header values arrive as text; numbers and booleans are read as the member's shape says. */
function coerce(shape: Shape, raw: string | string[] | undefined): unknown {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) return shape.type === 'list' ? raw : coerce(shape, raw[raw.length - 1]);
  switch (shape.type) {
    case 'integer':
    case 'long':
      return /^-?\d+$/.test(raw) ? Number(raw) : raw;
    case 'double':
    case 'float':
      return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'list':
      return [raw];
    default:
      return raw;
  }
}

function describe(error: ErrorObject): string {
  const at = error.instancePath.split('/').slice(1).join('.');
  const valueAt = (path: string, value: unknown) => `Value ${showValue(value)} at '${path}' failed to satisfy constraint: Member must`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const path = [at, params.missingProperty].filter(Boolean).join('.');
      return `${valueAt(path, null)} not be null`;
    }
    case 'additionalProperties':
      return `'${[at, params.additionalProperty].filter(Boolean).join('.')}' is not a member of this request.`;
    case 'pattern':
      return `${valueAt(at, error.data)} satisfy regular expression pattern: ${(error.parentSchema as Record<string, unknown>)[MODEL_PATTERN] as string}`;
    case 'minLength':
    case 'minItems':
    case 'minProperties':
      return `${valueAt(at, error.data)} have length greater than or equal to ${String(params.limit)}`;
    case 'maxLength':
    case 'maxItems':
    case 'maxProperties':
      return `${valueAt(at, error.data)} have length less than or equal to ${String(params.limit)}`;
    case 'minimum':
      return `${valueAt(at, error.data)} have value greater than or equal to ${String(params.limit)}`;
    case 'maximum':
      return `${valueAt(at, error.data)} have value less than or equal to ${String(params.limit)}`;
    case 'enum':
      return `${valueAt(at, error.data)} satisfy enum value set: [${(params.allowedValues as string[]).join(', ')}]`;
    case 'type':
      return `${valueAt(at, error.data)} be of type ${String(params.type)}`;
    default:
      return `${valueAt(at, error.data)} satisfy ${error.keyword}: ${error.message ?? ''}`;
  }
}

function showValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `'${value.length > 100 ? `${value.slice(0, 100)}…` : value}'`;
  const text = JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}
