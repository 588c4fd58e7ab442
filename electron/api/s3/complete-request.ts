import type { Readable } from 'node:stream';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createHash } from 'node:crypto';
import type { CompletedPart } from '../../domain/s3/multipart-uploads.js';
import { S3Error } from '../../domain/s3/s3-errors.js';
import type { PayloadPlan } from './payload.js';

/** 10,000 parts with an ETag and a checksum each fit in well under this. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const malformed = (why: string) => new S3Error('MalformedXML', `The XML you provided was not well-formed or did not validate against our published schema: ${why}.`);

/** The part list of a CompleteMultipartUpload body (`<CompleteMultipartUpload><Part><PartNumber>…<ETag>…`), checked as PutObject bodies are. */
export async function completedPartsOf(body: Readable, plan: PayloadPlan): Promise<CompletedPart[]> {
  const chunks: Buffer[] = [];
  let size = 0;
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  const collect = new Writable({
    write(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return done(malformed(`the body is larger than ${MAX_BODY_BYTES} bytes`));
      chunks.push(chunk);
      md5.update(chunk);
      sha256.update(chunk);
      done();
    },
  });
  await pipeline([body, ...plan.transforms, collect]);
  plan.verify({ dataFile: '', size, md5: md5.digest('hex'), sha256: sha256.digest('hex') });
  return parsePartList(Buffer.concat(chunks).toString('utf8'));
}

function parsePartList(xml: string): CompletedPart[] {
  const root = /^\s*(?:<\?xml[^>]*\?>)?\s*<CompleteMultipartUpload(?:\s[^>]*)?>([\s\S]*)<\/CompleteMultipartUpload>\s*$/.exec(xml);
  if (!root) throw malformed('the root element must be CompleteMultipartUpload');
  const inner = root[1]!;
  const parts: CompletedPart[] = [];
  const rest = inner.replace(/<Part>([\s\S]*?)<\/Part>/g, (_whole, part: string) => {
    const partNumber = /<PartNumber>\s*(\d{1,9})\s*<\/PartNumber>/.exec(part)?.[1];
    const etag = /<ETag>([^<]*)<\/ETag>/.exec(part)?.[1];
    if (partNumber === undefined || etag === undefined) throw malformed('every Part needs a PartNumber and an ETag');
    parts.push({ partNumber: Number(partNumber), etag: decodeEntities(etag).trim() });
    return '';
  });
  if (rest.trim() !== '') throw malformed('CompleteMultipartUpload may hold Part elements only');
  return parts;
}

const ENTITIES: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, name: string) => {
    if (!name.startsWith('#')) return ENTITIES[name] ?? whole;
    const code = name.startsWith('#x') ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
