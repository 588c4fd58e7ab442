import type { TSchema } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';

// The control API's schemas, as a client that reads them would: every property present must be as declared, and
// additionalProperties: false wherever the control API promises no other members.
const ajv = new Ajv({ strict: false, allErrors: true });
ajvFormats.default(ajv);

function closed(schema: object): object {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, typeof value === 'object' && value !== null ? closed(value as object) : value]));
  const record = copy as { type?: unknown; properties?: unknown; additionalProperties?: unknown };
  if (record.type === 'object' && record.properties && record.additionalProperties === undefined) record.additionalProperties = false;
  return copy;
}

/** Why `value` does not match `schema` (closed unless `open`), or undefined when it does. */
export function schemaErrors(schema: TSchema | object, value: unknown, { open = false } = {}): string | undefined {
  const validate = ajv.compile(open ? schema : closed(schema));
  return validate(value) ? undefined : ajv.errorsText(validate.errors);
}
