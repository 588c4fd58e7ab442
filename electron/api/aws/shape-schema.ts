import type { Shape, ServiceModel } from './service-model.js';

/** Marks, in a generated schema, the model's original pattern text so error messages quote it as AWS does. */
export const MODEL_PATTERN = 'x-model-pattern';

/** Java character classes the model's patterns use that JavaScript regular expressions spell differently (POSIX, ASCII). */
const JAVA_CLASSES: Record<string, string> = {
  '\\p{Upper}': 'A-Z',
  '\\p{Lower}': 'a-z',
  '\\p{Digit}': '0-9',
  '\\p{Alpha}': 'A-Za-z',
  '\\p{Alnum}': 'A-Za-z0-9',
  '\\p{Graph}': '\\x21-\\x7E',
  '\\p{Print}': '\\x20-\\x7E',
};

/**
 * A model pattern as an anchored JavaScript (unicode) pattern. The service matches the whole value, so the
 * model's unanchored patterns are anchored here.
 */
function javascriptPattern(pattern: string): string {
  let translated = pattern;
  for (const [java, ascii] of Object.entries(JAVA_CLASSES)) {
    translated = translated.split(java).join(insideClass(translated, java) ? ascii : `[${ascii}]`);
  }
  return `^(?:${translated})$`;
}

function insideClass(pattern: string, token: string): boolean {
  const at = pattern.indexOf(token);
  if (at < 0) return false;
  const before = pattern.slice(0, at);
  return before.lastIndexOf('[') > before.lastIndexOf(']');
}

/**
 * JSON Schema (draft 7, for Ajv) of every shape of the model, as `definitions` referenced by shape name. Without
 * `constraints`, only types and structure: the model's patterns, lengths, ranges and enums bind what a client sends,
 * and the SDK reads an answer by its types alone.
 */
export function schemaDefinitions(model: ServiceModel, { constraints = true } = {}): Record<string, object> {
  const definitions: Record<string, object> = {};
  for (const [name, shape] of Object.entries(model.shapes)) definitions[name] = constraints ? shapeSchema(shape) : shapeSchema({ ...shape, ...UNCONSTRAINED });
  return definitions;
}

const UNCONSTRAINED = { min: undefined, max: undefined, pattern: undefined, enum: undefined };

const ref = (shape: string) => ({ $ref: `#/definitions/${shape}` });

function shapeSchema(shape: Shape): object {
  switch (shape.type) {
    case 'structure':
      return {
        type: 'object',
        properties: Object.fromEntries(Object.entries(shape.members ?? {}).map(([name, member]) => [name, ref(member.shape)])),
        ...(shape.required?.length ? { required: shape.required } : {}),
        additionalProperties: false,
      };
    case 'list':
      return { type: 'array', items: ref(shape.member!.shape), ...bounds(shape, 'minItems', 'maxItems') };
    case 'map':
      return { type: 'object', propertyNames: ref(shape.key!.shape), additionalProperties: ref(shape.value!.shape), ...bounds(shape, 'minProperties', 'maxProperties') };
    case 'string':
      return {
        type: 'string',
        ...bounds(shape, 'minLength', 'maxLength'),
        ...(shape.enum ? { enum: shape.enum } : {}),
        ...(shape.pattern ? { pattern: javascriptPattern(shape.pattern), [MODEL_PATTERN]: shape.pattern } : {}),
      };
    case 'integer':
    case 'long':
      return { type: 'integer', ...bounds(shape, 'minimum', 'maximum') };
    case 'double':
    case 'float':
      return { type: 'number', ...bounds(shape, 'minimum', 'maximum') };
    case 'boolean':
      return { type: 'boolean' };
    case 'timestamp':
      return { type: ['number', 'string'] };
    case 'blob':
      return { type: 'string' };
  }
}

function bounds(shape: Shape, minKeyword: string, maxKeyword: string): object {
  return { ...(shape.min !== undefined ? { [minKeyword]: shape.min } : {}), ...(shape.max !== undefined ? { [maxKeyword]: shape.max } : {}) };
}
