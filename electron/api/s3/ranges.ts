import { S3Error } from '../../domain/s3/s3-errors.js';

/**
 * The inclusive byte range a `Range: bytes=…` header asks for (one range: `a-b`, `a-`, `-n`); none for a missing or
 * multi-range header (S3 then sends the whole object), InvalidRange when the range starts beyond the object.
 */
export function byteRangeOf(header: string | undefined, size: number): { start: number; end: number } | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw invalidRange(size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  // `bytes=9-3` is not a range at all: S3 then sends the whole object.
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) throw invalidRange(size);
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

const invalidRange = (size: number) => new S3Error('InvalidRange', `The requested range is not satisfiable (the object is ${size} bytes).`);
