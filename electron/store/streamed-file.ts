import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { storageErrorOf } from './storage-error.js';

/** The bytes a streamed file received and their digests. */
export interface StreamedData {
  size: number;
  /** hex */
  md5: string;
  /** hex */
  sha256: string;
}

const FILE_SYSTEM_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS', 'EACCES', 'EIO', 'EPERM', 'ENOENT']);
const isFileSystemError = (error: unknown) => FILE_SYSTEM_ERRORS.has((error as NodeJS.ErrnoException)?.code ?? '');

/**
 * Streams `body` through `transforms` into a new `file`, fsynced before it resolves. On any failure the file is removed;
 * a file system failure becomes a StorageError naming `what`, a transform's own error (a check) is passed on.
 */
export async function writeStreamDurably(file: string, body: Readable, transforms: Transform[], what: string): Promise<StreamedData> {
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  let size = 0;
  const digest = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      md5.update(chunk);
      sha256.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    // flush: the file is fsynced before the stream closes.
    await pipeline([body, ...transforms, digest, createWriteStream(file, { flush: true })]);
  } catch (error) {
    await rm(file, { force: true });
    throw isFileSystemError(error) ? storageErrorOf(error, what) : error;
  }
  return { size, md5: md5.digest('hex'), sha256: sha256.digest('hex') };
}
