import { Transform } from 'node:stream';
import type { ObjectMeta } from '../../store/object-files.js';
import { S3Error } from './s3-errors.js';

const MAX_KEY_BYTES = 1024;

export function checkKey(key: string): void {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes === 0) throw new S3Error('InvalidArgument', 'An object key must not be empty.');
  if (bytes > MAX_KEY_BYTES) throw new S3Error('KeyTooLongError', 'Your key is too long: S3 keys are at most 1024 bytes of UTF-8.');
}

/** UTF-8 binary order, as S3 lists keys. */
export const compareKeys = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** S3's ETag of an object, quoted: the MD5 of its bytes, or a multipart upload's `<md5 of the part MD5s>-<parts>`. */
export const etagOf = (meta: ObjectMeta) => `"${meta.multipart?.etag ?? meta.md5}"`;

export const entityTooLarge = (maxObjectBytes: number) =>
  new S3Error('EntityTooLarge', `Your proposed upload exceeds the maximum allowed object size (${maxObjectBytes} bytes; --max-object-mb).`);

/** Fails the write as soon as more than `budget` bytes arrived, whatever the client declared. */
export function sizeLimit(budget: number, maxObjectBytes: number): Transform {
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > budget) done(entityTooLarge(maxObjectBytes));
      else done(null, chunk);
    },
  });
}
