import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { crc32 } from 'node:zlib';
import { S3Error } from '../../domain/s3/s3-errors.js';
import type { WrittenData } from '../../domain/s3/local-s3.js';
import { single } from '../aws/sigv4.js';
import { S3ApiError } from './s3-reply.js';

type Headers = Record<string, string | string[] | undefined>;
const header = (headers: Headers, name: string) => single(headers[name]);

/** The x-amz-content-sha256 values the local S3 takes; chunk-signed streaming (SigV4 per chunk) is not among them. */
const UNSIGNED = 'UNSIGNED-PAYLOAD';
const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

/** Checksum algorithms whose x-amz-checksum-* value the local S3 verifies; others are stored unchecked. */
const CHECKSUMS: Record<string, () => { update(chunk: Buffer): void; digest(): string }> = {
  crc32: () => {
    let value = 0;
    return {
      update: (chunk) => (value = crc32(chunk, value)),
      digest: () => {
        const bytes = Buffer.alloc(4);
        bytes.writeUInt32BE(value >>> 0);
        return bytes.toString('base64');
      },
    };
  },
  sha1: () => hashChecksum('sha1'),
  sha256: () => hashChecksum('sha256'),
};

function hashChecksum(algorithm: string) {
  const hash = createHash(algorithm);
  return { update: (chunk: Buffer) => hash.update(chunk), digest: () => hash.digest('base64') };
}

/** How a PutObject body is framed and what it must match: the decoding transforms, and a check of the bytes written. */
export interface PayloadPlan {
  /** The object's size as declared before any byte arrived, when the client declared it. */
  declaredSize?: number;
  transforms: Transform[];
  verify(written: WrittenData): void;
}

export function payloadPlan(headers: Headers): PayloadPlan {
  const contentSha = header(headers, 'x-amz-content-sha256') ?? UNSIGNED;
  const chunked = contentSha === STREAMING_UNSIGNED_TRAILER;
  if (contentSha.startsWith('STREAMING-') && !chunked) {
    throw new S3ApiError('NotImplemented', `Fleetlab's local S3 does not take ${contentSha} bodies; send a signed or unsigned payload, or ${STREAMING_UNSIGNED_TRAILER}.`);
  }
  if (!chunked && contentSha !== UNSIGNED && !/^[0-9a-f]{64}$/.test(contentSha)) {
    throw new S3ApiError('InvalidArgument', 'x-amz-content-sha256 must be a hex SHA-256, UNSIGNED-PAYLOAD or STREAMING-UNSIGNED-PAYLOAD-TRAILER.');
  }
  const lengthHeader = header(headers, chunked ? 'x-amz-decoded-content-length' : 'content-length');
  const declaredSize = lengthHeader === undefined ? undefined : Number(lengthHeader);
  const checksums = new Map<string, string | undefined>();
  for (const name of Object.keys(CHECKSUMS)) {
    const value = header(headers, `x-amz-checksum-${name}`);
    if (value !== undefined) checksums.set(name, value);
  }
  const trailer = chunked ? /^x-amz-checksum-([a-z0-9]+)$/.exec(header(headers, 'x-amz-trailer') ?? '')?.[1] : undefined;
  if (trailer && Object.hasOwn(CHECKSUMS, trailer)) checksums.set(trailer, undefined);
  const decoder = chunked ? new AwsChunkedDecoder() : undefined;
  const running = [...checksums.keys()].map((name) => ({ name, checksum: CHECKSUMS[name]!() }));
  const checker = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      for (const { checksum } of running) checksum.update(chunk);
      done(null, chunk);
    },
  });
  return {
    ...(declaredSize !== undefined && Number.isFinite(declaredSize) && { declaredSize }),
    transforms: [...(decoder ? [decoder] : []), checker],
    verify(written) {
      if (declaredSize !== undefined && written.size !== declaredSize) {
        throw new S3Error('IncompleteBody', `You did not provide the number of bytes specified by the ${chunked ? 'x-amz-decoded-content-length' : 'Content-Length'} HTTP header.`);
      }
      if (!chunked && contentSha !== UNSIGNED && written.sha256 !== contentSha) {
        throw new S3Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
      }
      const contentMd5 = header(headers, 'content-md5');
      if (contentMd5 !== undefined && Buffer.from(written.md5, 'hex').toString('base64') !== contentMd5) {
        throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.');
      }
      for (const { name, checksum } of running) {
        const expected = checksums.get(name) ?? decoder?.trailers.get(`x-amz-checksum-${name}`);
        if (expected !== undefined && checksum.digest() !== expected) {
          throw new S3Error('BadDigest', `The ${name.toUpperCase()} you specified did not match the calculated checksum.`);
        }
      }
    },
  };
}

/**
 * Decodes an `aws-chunked` body (`<hex size>\r\n<bytes>\r\n` … `0\r\n<trailers>\r\n\r\n`), as the SDK streams bodies of
 * unknown length with STREAMING-UNSIGNED-PAYLOAD-TRAILER; the trailing checksum headers are kept for the check.
 */
class AwsChunkedDecoder extends Transform {
  readonly trailers = new Map<string, string>();
  private pending: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private state: 'size' | 'data' | 'dataEnd' | 'trailer' | 'done' = 'size';

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    try {
      this.drain();
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: (error?: Error | null) => void): void {
    done(this.state === 'done' ? null : new S3Error('IncompleteBody', 'The aws-chunked body ended before its final chunk.'));
  }

  private drain(): void {
    for (;;) {
      if (this.state === 'data') {
        if (this.pending.length === 0) return;
        const take = Math.min(this.remaining, this.pending.length);
        this.push(this.pending.subarray(0, take));
        this.pending = this.pending.subarray(take);
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'dataEnd';
        continue;
      }
      if (this.state === 'done') {
        this.pending = Buffer.alloc(0);
        return;
      }
      const end = this.pending.indexOf('\r\n');
      if (end < 0) {
        if (this.pending.length > 4096) throw new S3Error('InvalidArgument', 'The aws-chunked body has a line longer than 4096 bytes.');
        return;
      }
      const line = this.pending.subarray(0, end).toString('latin1');
      this.pending = this.pending.subarray(end + 2);
      if (this.state === 'dataEnd') {
        if (line !== '') throw new S3Error('InvalidArgument', 'An aws-chunked chunk is longer than its declared size.');
        this.state = 'size';
      } else if (this.state === 'size') {
        const size = Number.parseInt(line.split(';')[0]!, 16);
        if (!/^[0-9a-fA-F]+$/.test(line.split(';')[0]!) || !Number.isSafeInteger(size)) throw new S3Error('InvalidArgument', `"${line.slice(0, 40)}" is not an aws-chunked chunk size.`);
        if (size === 0) this.state = 'trailer';
        else [this.state, this.remaining] = ['data', size];
      } else if (line === '') {
        this.state = 'done';
      } else {
        const colon = line.indexOf(':');
        if (colon > 0) this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
    }
  }
}

/** The x-amz-meta-* headers, by their names without the prefix. */
export function userMetadataOf(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined) metadata[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
  }
  return metadata;
}
