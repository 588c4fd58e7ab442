import type { Comparison, Condition, Literal } from './condition-tree.js';
import type { DeviceQuery } from './parser.js';

/** What a reader returns for a field whose value is not known yet (partial evaluation over a device range). */
export const UNKNOWN: unique symbol = Symbol('unknown');

/** Reads a field of one device: its value, undefined when the device has none, or UNKNOWN. */
export type FieldReader = (field: string) => unknown;

/** Whether a device matches; a reader that never answers UNKNOWN always gets true or false. */
export function matches(query: DeviceQuery, read: FieldReader): boolean {
  return query.where === undefined || evaluate(query.where, read) === true;
}

/**
 * Three-valued evaluation: true, false, or undefined when the answer depends on a field the reader does not know.
 * Used to decide a whole fleet range from its shared attributes without visiting its devices.
 */
export function evaluate(condition: Condition, read: FieldReader): boolean | undefined {
  switch (condition.kind) {
    case 'and': {
      const left = evaluate(condition.left, read);
      if (left === false) return false;
      const right = evaluate(condition.right, read);
      if (right === false) return false;
      return left === true && right === true ? true : undefined;
    }
    case 'or': {
      const left = evaluate(condition.left, read);
      if (left === true) return true;
      const right = evaluate(condition.right, read);
      if (right === true) return true;
      return left === false && right === false ? false : undefined;
    }
    default: {
      const actual = read(condition.field);
      if (actual === UNKNOWN) return undefined;
      if (condition.kind === 'compare') return compare(actual, condition.operator, condition.value);
      if (condition.kind === 'in') return condition.values.some((value) => compare(actual, '=', value));
      return textTest(actual, condition.fn, condition.value);
    }
  }
}

function compare(actual: unknown, operator: Comparison, expected: Literal): boolean {
  if (actual === undefined || actual === null) return false;
  if (Array.isArray(actual)) {
    if (operator === '=') return actual.includes(expected);
    if (operator === '!=') return !actual.includes(expected);
    return false;
  }
  if (typeof actual !== typeof expected) return operator === '!=';
  switch (operator) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
  }
  if (typeof actual === 'boolean') return false;
  const a = actual as string | number;
  const b = expected as string | number;
  switch (operator) {
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
  }
}

function textTest(actual: unknown, fn: 'contains' | 'startswith', expected: Literal): boolean {
  if (Array.isArray(actual)) return fn === 'contains' ? actual.includes(expected) : false;
  if (typeof actual !== 'string') return false;
  const needle = String(expected);
  return fn === 'contains' ? actual.includes(needle) : actual.startsWith(needle);
}

/** Every field a condition reads, e.g. to tell whether a query depends on per-device values. */
export function fieldsOf(condition: Condition | undefined, into = new Set<string>()): Set<string> {
  if (!condition) return into;
  if ('field' in condition) {
    into.add(condition.field);
  } else {
    fieldsOf(condition.left, into);
    fieldsOf(condition.right, into);
  }
  return into;
}
