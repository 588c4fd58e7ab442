import { invalid } from '../errors.js';
import { isObject } from './capabilities.js';

const ISO_DURATION = /^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

/**
 * Checks a value against a DTDL schema and returns it in its canonical JSON form. Like IoT Central, it accepts
 * numbers and booleans written as strings ("55" for a double) and converts them.
 */
export function conformValue(schema: unknown, value: unknown, where: string): unknown {
  if (schema === undefined) return value;
  if (typeof schema === 'string') return conformPrimitive(schema, value, where);
  if (!isObject(schema)) return value;
  switch (schema['@type']) {
    case 'Enum':
      return conformEnum(schema, value, where);
    case 'Object': {
      if (!isObject(value)) throw mismatch(where, 'an object', value);
      const fields = Array.isArray(schema.fields) ? schema.fields.filter(isObject) : [];
      const out: Record<string, unknown> = {};
      for (const [key, fieldValue] of Object.entries(value)) {
        const field = fields.find((candidate) => candidate.name === key);
        if (!field) throw invalid(`${where}: the object has no field "${key}".`);
        out[key] = conformValue(field.schema, fieldValue, `${where}.${key}`);
      }
      return out;
    }
    case 'Array': {
      if (!Array.isArray(value)) throw mismatch(where, 'an array', value);
      return value.map((item, i) => conformValue(schema.elementSchema, item, `${where}[${i}]`));
    }
    case 'Map': {
      if (!isObject(value)) throw mismatch(where, 'an object (map)', value);
      const valueSchema = isObject(schema.mapValue) ? schema.mapValue.schema : undefined;
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, conformValue(valueSchema, item, `${where}.${key}`)]));
    }
    default:
      return value;
  }
}

function conformPrimitive(schema: string, value: unknown, where: string): unknown {
  switch (schema) {
    case 'double':
    case 'float':
      return toNumber(value, where, 'a number', () => true);
    case 'integer':
      return toNumber(value, where, 'a 32-bit integer', (n) => Number.isInteger(n) && n >= INT32.min && n <= INT32.max);
    case 'long':
      return toNumber(value, where, 'an integer', Number.isSafeInteger);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw mismatch(where, 'a boolean', value);
    case 'string':
      if (typeof value === 'string') return value;
      throw mismatch(where, 'a string', value);
    case 'dateTime':
      return checkedString(value, where, 'an ISO 8601 date-time', (text) => /^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text)));
    case 'date':
      return checkedString(value, where, 'a date (YYYY-MM-DD)', (text) => DATE.test(text) && !Number.isNaN(Date.parse(text)));
    case 'time':
      return checkedString(value, where, 'a time (hh:mm:ss)', (text) => TIME.test(text));
    case 'duration':
      return checkedString(value, where, 'an ISO 8601 duration such as PT5M', (text) => ISO_DURATION.test(text));
    default:
      // Geospatial schemas and references the template leaves unresolved are accepted as sent.
      return value;
  }
}

function conformEnum(schema: Record<string, unknown>, value: unknown, where: string): unknown {
  const values = Array.isArray(schema.enumValues) ? schema.enumValues.filter(isObject) : [];
  const numeric = schema.valueSchema === 'integer';
  const candidate = numeric && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
  const match = values.find((entry) => entry.enumValue === candidate) ?? values.find((entry) => entry.name === value);
  if (!match) {
    const allowed = values.map((entry) => JSON.stringify(entry.enumValue)).join(', ');
    throw invalid(`${where}: ${JSON.stringify(value)} is not one of the enum values ${allowed}.`);
  }
  return match.enumValue;
}

function toNumber(value: unknown, where: string, expected: string, accept: (n: number) => boolean): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || !accept(n)) throw mismatch(where, expected, value);
  return n;
}

function checkedString(value: unknown, where: string, expected: string, accept: (text: string) => boolean): string {
  if (typeof value !== 'string' || !accept(value)) throw mismatch(where, expected, value);
  return value;
}

const mismatch = (where: string, expected: string, value: unknown) =>
  invalid(`${where}: expected ${expected}, got ${JSON.stringify(value) ?? 'nothing'}.`);
