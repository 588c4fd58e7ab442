import fc from 'fast-check';

/** Strings that break parsers, ids and encoders: control characters, bidi overrides, astral planes, traversal. */
const TRICKY_STRINGS = [
  '', ' ', '..', '../../etc/passwd', '%', '%00', '%2e%2e%2f', '\u0000', '\u0001\u007f', '\u202e', '😀', '\ud800', 'ünïcødé',
  '"', "'", '<x/>', '${x}', '{{x}}', '\\', '/', '//', '?', '#', '&', '=', ';', '\r\n', 'null', 'true', '0', '-1', '1e309',
  'NaN', '__proto__', 'constructor', 'prototype', 'toString', 'SELECT * FROM devices', '$aws/things/x', '$iothub/x',
];

export const trickyString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TRICKY_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  // Long, but inside Node's 16 KiB request head: a longer URL never reaches the API (Node answers 431 itself).
  { weight: 1, arbitrary: fc.constantFrom(300, 5_000).map((length) => 'x'.repeat(length)) },
);

/** A string member far longer than any the APIs store. */
const hugeString = fc.constantFrom(70_000, 300_000).map((length) => 'y'.repeat(length));

const number = fc.oneof(
  fc.constantFrom(0, -0, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Nesting deeper than any limit Fleetlab sets (64 by default), as arrays or objects. */
const deep = fc.tuple(fc.integer({ min: 60, max: 2_000 }), fc.boolean()).map(([depth, asArrays]) => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = asArrays ? [value] : { a: value };
  return value;
});

/** Any JSON value a client might send where something else was expected. */
const nastyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: trickyString },
  { weight: 2, arbitrary: number },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: fc.array(trickyString, { maxLength: 5 }) },
  { weight: 1, arbitrary: hugeString },
);

/** Bodies that are not JSON at all, or not what the content type says. */
export const brokenJsonText = fc.oneof(
  fc.constantFrom('{', '{"a":', "{'a':1}", '[1,2', '{"a":1}}', '\ufeff{}', '{"a":NaN}', 'nul', '\u0000', '{"__proto__":{"x":1}}', '{"a":1,"a":2}'),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = [], depth = 0): Path[] {
  if (depth > 6 || value === null || typeof value !== 'object') return [prefix];
  const keys = Array.isArray(value) ? value.map((_, index) => index) : Object.keys(value);
  return [prefix, ...keys.flatMap((key) => pathsOf((value as Record<string | number, unknown>)[key], [...prefix, key], depth + 1))];
}

function replaced(value: unknown, path: Path, next: unknown, remove: boolean): unknown {
  if (path.length === 0) return next;
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...(value as object) }) as Record<string | number, unknown>;
  const [head, ...rest] = path;
  if (rest.length === 0 && remove) {
    if (Array.isArray(copy)) (copy as unknown[]).splice(head as number, 1);
    else delete copy[head!];
    return copy;
  }
  copy[head!] = replaced(copy[head!], rest, next, remove);
  return copy;
}

/**
 * `valid` with one thing broken: a member (or the whole value) replaced by a nasty value, removed, or an extra member
 * added (anywhere, or only below the `under` paths). fast-check shrinks towards the unbroken value.
 */
export function mutated<T>(valid: fc.Arbitrary<T>, under: Path[] = [[]]): fc.Arbitrary<unknown> {
  return valid.chain((value) => {
    const paths = pathsOf(value).filter((path) => under.some((prefix) => prefix.every((key, index) => path[index] === key)));
    return fc.tuple(fc.constantFrom(...paths), fc.constantFrom('replace', 'remove', 'extra'), nastyJson, trickyString).map(([path, how, nasty, extraKey]) => {
      if (how === 'remove' && path.length > 0) return replaced(value, path, undefined, true);
      if (how === 'extra') {
        const target = path.length === 0 ? value : undefined;
        if (target !== null && typeof target === 'object' && !Array.isArray(target)) return { ...target, [extraKey || 'extra']: nasty };
      }
      return replaced(value, path, nasty, false);
    });
  });
}

/** Valid-ish values and values broken in one place, `brokenPerValid` of the latter for each of the former. */
export function validOrMutated<T>(valid: fc.Arbitrary<T>, brokenPerValid = 1.5): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 2, arbitrary: valid }, { weight: Math.round(2 * brokenPerValid), arbitrary: mutated(valid) });
}
