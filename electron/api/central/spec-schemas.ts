import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../paths.js';
import type { SpecVersion } from './api-version.js';

/** The parts of a Swagger 2.0 document that validation reads. */
export interface SwaggerSchema {
  $ref?: string;
  type?: string;
  properties?: Record<string, SwaggerSchema>;
  items?: SwaggerSchema;
  additionalProperties?: boolean | SwaggerSchema;
  allOf?: SwaggerSchema[];
  required?: string[];
  readOnly?: boolean;
  discriminator?: string;
  'x-ms-discriminator-value'?: string;
  [keyword: string]: unknown;
}

/** A path, query or header parameter carries its own primitive schema keywords; a body parameter has `schema`. */
export interface SwaggerParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'body' | 'formData';
  required?: boolean;
  schema?: SwaggerSchema;
  type?: string;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
}

interface SwaggerOperation {
  operationId: string;
  parameters?: (SwaggerParameter | ParameterReference)[];
  responses: Record<string, { schema?: SwaggerSchema }>;
  'x-ms-examples'?: Record<string, { $ref: string }>;
}

interface ParameterReference {
  $ref: string;
}

interface SwaggerDocument {
  definitions: Record<string, SwaggerSchema>;
  parameters: Record<string, SwaggerParameter>;
  paths: Record<string, Record<string, SwaggerOperation>>;
}

export interface SpecOperation {
  operationId: string;
  method: string;
  /** The spec's path template, e.g. /jobs/{jobId}. */
  path: string;
  /** Path, query and header parameters; their schemas are plain Swagger primitives. */
  parameters: SwaggerParameter[];
  /** JSON Schema of the body parameter, if the operation takes one. */
  requestBody?: object;
  /** JSON Schema of each response by status code or `default`; null for a response without a body. */
  responses: Record<string, object | null>;
  /** Base names of the x-ms-examples files, e.g. jobs_create.json. */
  examples: string[];
}

export interface SpecDocument {
  version: SpecVersion;
  operations: Map<string, SpecOperation>;
  /** JSON Schema views of the spec's definitions, one for request bodies and one for responses. */
  schemas: JsonSchemaDocument[];
}

type SchemaMode = 'request' | 'response';

export interface JsonSchemaDocument {
  $id: string;
  definitions: Record<string, object>;
  /** One polymorphic schema per discriminator base, selecting the subtype by the discriminator value. */
  $defs: Record<string, object>;
}

/** Marks a readOnly property of a request body: accepted whatever its value, and removed before the handler runs. */
export const READ_ONLY_IN_REQUEST = 'x-fleetlab-read-only';

const SCHEMA_KEYWORDS = new Set([
  'type', 'format', 'enum', 'default', 'required', 'minimum', 'maximum', 'multipleOf', 'minLength', 'maxLength',
  'pattern', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties',
]);

const specDir = () => path.join(packageRoot(), 'electron', 'api', 'central', 'spec');

export function loadSpec(version: SpecVersion): SpecDocument {
  const file = path.join(specDir(), `${version}.iotcentral.json`);
  const swagger = JSON.parse(readFileSync(file, 'utf8')) as SwaggerDocument;
  const request = new SchemaConverter(swagger.definitions, `iotcentral-${version}-request`, 'request');
  const response = new SchemaConverter(swagger.definitions, `iotcentral-${version}-response`, 'response');
  const operations = new Map<string, SpecOperation>();
  for (const [specPath, pathItem] of Object.entries(swagger.paths)) {
    for (const [method, operation] of Object.entries(pathItem)) {
      const parameters = (operation.parameters ?? []).map((parameter) =>
        '$ref' in parameter ? swagger.parameters[parameter.$ref.replace('#/parameters/', '')]! : withIdRule(parameter, swagger),
      );
      const body = parameters.find((parameter) => parameter.in === 'body');
      operations.set(operation.operationId, {
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path: specPath,
        parameters: parameters.filter((parameter) => parameter !== body),
        ...(body?.schema ? { requestBody: request.convert(body.schema) } : {}),
        responses: Object.fromEntries(
          Object.entries(operation.responses).map(([status, { schema }]) => [status, schema ? response.convert(schema) : null]),
        ),
        examples: Object.values(operation['x-ms-examples'] ?? {}).map((example) => path.basename(example.$ref)),
      });
    }
  }
  return { version, operations, schemas: [request.document(), response.document()] };
}

/**
 * Ids the spec leaves unconstrained but that name something the request creates follow the spec's own JobId rule
 * (letters, digits, `_` and `-`, at most 255): a rerun creates a job, and an API token's id travels inside its
 * SharedAccessSignature (`skn=<id>`).
 */
const CREATED_ID_PARAMETERS = new Set(['rerunId', 'tokenId']);

function withIdRule(parameter: SwaggerParameter, swagger: SwaggerDocument): SwaggerParameter {
  if (!CREATED_ID_PARAMETERS.has(parameter.name) || parameter.pattern !== undefined) return parameter;
  const { pattern, maxLength } = swagger.parameters.JobId!;
  return { ...parameter, pattern, maxLength };
}

/**
 * Turns Swagger 2.0 schemas into JSON Schema that Ajv runs. Swagger's `discriminator` has no JSON Schema equivalent:
 * a reference to a discriminator base (JobData, JobScheduleEnd, ...) becomes a schema that validates against the
 * subtype its discriminator value names, while the `allOf` by which a subtype inherits from its base keeps
 * pointing at the base itself. A subtype answers to its x-ms-discriminator-value and, as Swagger 2.0 defines the
 * default discriminator value, to its definition name (the IoT Central how-to writes `PropertyJobData`).
 */
class SchemaConverter {
  private readonly subtypes = new Map<string, string[]>();

  constructor(
    private readonly definitions: Record<string, SwaggerSchema>,
    private readonly $id: string,
    private readonly mode: SchemaMode,
  ) {
    for (const [name, definition] of Object.entries(definitions)) {
      for (const parent of definition.allOf ?? []) {
        const base = definitionName(parent.$ref);
        if (base) this.subtypes.set(base, [...(this.subtypes.get(base) ?? []), name]);
      }
    }
  }

  /** Every definition, with references made absolute so that any converted schema compiles on its own. */
  document(): JsonSchemaDocument {
    const definitions: Record<string, object> = {};
    const $defs: Record<string, object> = {};
    for (const [name, definition] of Object.entries(this.definitions)) {
      definitions[name] = this.convert(definition, true);
      if (definition.discriminator) $defs[name] = this.polymorphic(name, definition.discriminator);
    }
    return { $id: this.$id, definitions, $defs };
  }

  convert(schema: SwaggerSchema, isDefinition = false): object {
    const base = definitionName(schema.$ref);
    if (base) return { $ref: this.definitions[base]?.discriminator ? this.ref('$defs', base) : this.ref('definitions', base) };
    const out: Record<string, unknown> = {};
    for (const [keyword, value] of Object.entries(schema)) {
      if (SCHEMA_KEYWORDS.has(keyword)) out[keyword] = value;
    }
    if (schema.properties) {
      out.properties = Object.fromEntries(
        Object.entries(schema.properties).map(([name, property]) => [
          name,
          this.mode === 'request' && property.readOnly ? { [READ_ONLY_IN_REQUEST]: true } : this.convert(property),
        ]),
      );
    }
    if (schema.items) out.items = this.convert(schema.items);
    if (typeof schema.additionalProperties === 'object') out.additionalProperties = this.convert(schema.additionalProperties);
    else if (schema.additionalProperties !== undefined) out.additionalProperties = schema.additionalProperties;
    if (schema.allOf) {
      // A definition's own allOf is inheritance: its parents are checked as themselves, never re-dispatched.
      out.allOf = schema.allOf.map((parent) => {
        const parentName = definitionName(parent.$ref);
        return isDefinition && parentName ? { $ref: this.ref('definitions', parentName) } : this.convert(parent);
      });
    }
    return out;
  }

  private polymorphic(base: string, property: string): object {
    const variants = this.descendants(base).map((name) => ({ name, values: discriminatorValues(name, this.definitions[name]!) }));
    return {
      type: 'object',
      required: [property],
      // Listed as the spec spells them first, then by definition name, so an error message reads well.
      properties: { [property]: { type: 'string', enum: [...new Set([...variants.map(({ values }) => values[0]), ...variants.flatMap(({ values }) => values)])] } },
      allOf: variants.map((variant) => ({
        if: { required: [property], properties: { [property]: { enum: variant.values } } },
        then: { $ref: this.ref('definitions', variant.name) },
      })),
    };
  }

  private ref(section: 'definitions' | '$defs', name: string): string {
    return `${this.$id}#/${section}/${name}`;
  }

  private descendants(base: string): string[] {
    return (this.subtypes.get(base) ?? []).flatMap((name) => [name, ...this.descendants(name)]);
  }
}

function discriminatorValues(name: string, definition: SwaggerSchema): string[] {
  const value = definition['x-ms-discriminator-value'];
  return value === undefined || value === name ? [name] : [value, name];
}

function definitionName(ref: string | undefined): string | undefined {
  return ref?.startsWith('#/definitions/') ? ref.slice('#/definitions/'.length) : undefined;
}
