import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { expectMatchesSpec } from '../../helpers/spec.js';
import type { SpecExample } from './device-examples.js';

export const EXAMPLES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/specs/iotcentral/examples');
export const EXAMPLES_PRESENT = existsSync(EXAMPLES_DIR);

const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Every key of `expected` is in `actual` with the same JSON type, recursively; arrays have the same length. */
function expectSameShape(actual: unknown, expected: unknown, at = '$'): void {
  // A null in an example (a command job's value) stands for "any value", so only its presence is checked.
  if (expected === null) return;
  expect(typeOf(actual), `type at ${at}`).toBe(typeOf(expected));
  if (Array.isArray(expected)) {
    const list = actual as unknown[];
    expect(list.length, `length at ${at}`).toBe(expected.length);
    expected.forEach((item, i) => expectSameShape(list[i], item, `${at}[${i}]`));
  } else if (typeof expected === 'object') {
    const object = actual as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected as Record<string, unknown>)) {
      expect(object, `key ${at}.${key}`).toHaveProperty([key]);
      expectSameShape(object[key], value, `${at}.${key}`);
    }
  }
}

/** `value` without the keys named, at any depth. */
function without(value: unknown, keys: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => without(item, keys));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)).map(([key, inner]) => [key, without(inner, keys)]));
}

/**
 * A response replaying an example: the example's status, valid against the spec, the example's shape, and the
 * example's values except `emulatorKeys` (ids, etags, times and statuses the emulator decides).
 */
export async function expectExampleReplay(res: Response, ex: SpecExample, operationId: string, emulatorKeys: readonly string[] = []): Promise<unknown> {
  const [status, expected] = Object.entries(ex.responses)[0]!;
  const text = await res.text();
  expect(res.status, `${operationId} answered ${text}`).toBe(Number(status));
  if (res.status === 204) {
    expect(text).toBe('');
    return undefined;
  }
  const body = JSON.parse(text) as unknown;
  expectMatchesSpec(ex.parameters['api-version'], operationId, res.status, body);
  expectSameShape(body, expected.body);
  const keys = ['etag', ...emulatorKeys];
  expect(without(body, keys)).toMatchObject(without(expected.body, keys) as object);
  return body;
}
