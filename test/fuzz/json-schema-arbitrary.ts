import fc from 'fast-check';

/** The parts of JSON Schema (TypeBox schemas, Swagger 2.0 definitions) that shape a value. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  patternProperties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
  [key: string]: unknown;
}

export interface SchemaOptions {
  /** Resolves `#/definitions/X` (Swagger) references. */
  definitions?: Record<string, JsonSchema>;
  /** Strings for members with this name: lets generated requests name the same few ids again. */
  stringFor?: (member: string) => fc.Arbitrary<string> | undefined;
}

const MAX_DEPTH = 5;

/** Values that match `schema` loosely (the shape, the types, the enums), for mutating into bad requests. */
export function schemaArbitrary(schema: JsonSchema, options: SchemaOptions = {}, member = '', depth = 0): fc.Arbitrary<unknown> {
  const next = (child: JsonSchema, name = member) => schemaArbitrary(child, options, name, depth + 1);
  if (schema.$ref) {
    const name = schema.$ref.replace(/^.*\//, '');
    const target = options.definitions?.[name];
    return target && depth < MAX_DEPTH ? next(target) : fc.constant({});
  }
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices && choices.length > 0) return fc.oneof(...choices.map((choice) => next(choice)));
  if (schema.allOf) return fc.tuple(...schema.allOf.map((part) => next(part))).map((parts) => Object.assign({}, ...parts.filter(isObject)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type ?? (schema.properties ? 'object' : undefined)) {
    case 'string':
      return options.stringFor?.(member) ?? stringFor(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? Math.max(100, (schema.minimum ?? 0) + 100) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -100, max: schema.maximum ?? 100, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      if (depth >= MAX_DEPTH) return fc.constant([]);
      return fc.array(next(schema.items ?? {}), { minLength: schema.minItems ?? 0, maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)) });
    case 'object': {
      if (depth >= MAX_DEPTH) return fc.constant({});
      const properties = schema.properties ?? {};
      const required = Object.keys(properties).filter((key) => schema.required?.includes(key));
      const record = fc.record(Object.fromEntries(Object.entries(properties).map(([key, child]) => [key, next(child, key)])), { requiredKeys: required });
      return record;
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
  const minLength = schema.minLength ?? 0;
  return fc.string({ minLength, maxLength: Math.max(minLength, Math.min(schema.maxLength ?? 12, 12)) });
}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
