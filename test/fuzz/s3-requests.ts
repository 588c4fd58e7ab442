import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { DEFAULT_AWS_CREDENTIALS } from '../../electron/api/aws/credentials.js';
import { REGION } from './aws-requests.js';
import { trickyString } from './nasty-values.js';
import { percentEncode, type WireRequest } from './wire.js';

const ODD_KEYS = ['..', '../x', '../../etc/passwd', 'a//b', '/leading', 'trailing/', '%2F', '%', '%25', 'ü/ñ', '😀', '.', 'a/./b', ' ', 'x'.repeat(1100), 'con', 'NUL', 'a\\b'];
const RANGES = ['bytes=0-3', 'bytes=-1', 'bytes=5-2', 'bytes=0-', 'bytes=abc', 'bytes=0-0,2-3', 'bytes=99999999999999999999-', 'items=0-1', 'bytes=-0', ''];
const SUBRESOURCES = ['tagging', 'acl', 'uploads', 'uploadId=x&partNumber=1', 'versioning', 'delete', 'x-id=GetObject'];
const LIST_QUERIES = ['list-type=2', 'max-keys=0', 'max-keys=-1', 'max-keys=abc', 'max-keys=100000', 'continuation-token=garbage', 'delimiter=%2F', 'encoding-type=url', 'encoding-type=xml', 'fetch-owner=true', 'start-after=%FF'];
const BAD_XML = ['<CreateBucketConfiguration><LocationConstraint>eu', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', '<a>'.repeat(5000), 'not xml'];

export function s3Request(host: string, buckets: string[], keys: string[]): fc.Arbitrary<Promise<WireRequest>> {
  const bucket = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...buckets) }, { weight: 1, arbitrary: fc.constantFrom('', 'UPPER', 'a', 'x'.repeat(70), 'has space', '..', 'xn--bad', '-dash') }, { weight: 1, arbitrary: trickyString });
  const key = fc.option(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keys) }, { weight: 3, arbitrary: fc.constantFrom(...ODD_KEYS) }, { weight: 1, arbitrary: trickyString }), { freq: 5 });
  // A subresource (and a list parameter on an object) is an operation Fleetlab does not emulate: 501, by design.
  const listQuery = fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...LIST_QUERIES) }, { weight: 2, arbitrary: trickyString.map((value) => `prefix=${percentEncode(value)}`) }, { weight: 1, arbitrary: fc.constantFrom(...SUBRESOURCES) }), { maxLength: 2 });
  const objectQuery = fc.oneof({ weight: 8, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.constantFrom(...SUBRESOURCES).map((sub) => [sub]) });
  const method = fc.constantFrom('GET', 'GET', 'PUT', 'PUT', 'HEAD', 'DELETE', 'POST');
  const range = fc.option(fc.constantFrom(...RANGES), { freq: 3 });
  const body = fc.oneof(fc.string({ maxLength: 64 }), fc.constantFrom(...BAD_XML), fc.constant(''));
  const payloadHash = fc.constantFrom('computed', 'computed', 'computed', 'computed', 'computed', 'UNSIGNED-PAYLOAD', 'UNSIGNED-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'wrong');
  const checksum = fc.option(fc.constantFrom(['content-md5', 'garbage'], ['content-md5', '1B2M2Y8AsgTpgAmY7PhCfg=='], ['x-amz-checksum-crc32', 'AAAAAA=='], ['x-amz-checksum-sha256', '!!'], ['x-amz-checksum-crc64nvme', 'x']), { freq: 4 });
  const rawPath = fc.boolean();
  const signing = fc.constantFrom('signed', 'signed', 'signed', 'signed', 'signed', 'signed', 'signed', 'signed', 'unsigned', 'wrong secret');
  const located = fc.tuple(bucket, key).chain(([name, objectKey]) => (objectKey === null ? listQuery : objectQuery).map((query) => ({ bucket: name, key: objectKey, query })));
  return fc.record({ located, method, range, body, payloadHash, checksum, rawPath, signing }).map(async ({ located: { bucket: bucketName, key: objectKey, query }, ...parts }) => {
    const keyPath = objectKey === null ? '' : `/${parts.rawPath && /^[\x21-\x7e]*$/.test(objectKey) && !/[?#]/.test(objectKey) ? objectKey : objectKey.split('/').map(percentEncode).join('/')}`;
    const path = `/s3/${percentEncode(bucketName)}${keyPath}`;
    const search = query.join('&');
    const sendsBody = parts.method === 'PUT' || parts.method === 'POST';
    const text = sendsBody ? parts.body : undefined;
    const hash = parts.payloadHash === 'computed' ? createHash('sha256').update(text ?? '').digest('hex') : parts.payloadHash === 'wrong' ? '0'.repeat(64) : parts.payloadHash;
    const headers: Record<string, string> = {
      host,
      'x-amz-content-sha256': hash,
      ...(parts.range !== null && { range: parts.range }),
      ...(parts.checksum && { [parts.checksum[0]]: parts.checksum[1] }),
      ...(text !== undefined && { 'content-type': 'application/octet-stream' }),
    };
    const wire = { method: parts.method, path: `${path}${search ? `?${search}` : ''}`, body: text };
    if (parts.signing === 'unsigned') return { ...wire, headers };
    const credentials = parts.signing === 'wrong secret' ? { ...DEFAULT_AWS_CREDENTIALS, secretAccessKey: 'wrong' } : DEFAULT_AWS_CREDENTIALS;
    const signer = new SignatureV4({ credentials, region: REGION, service: 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: false });
    const signedQuery = Object.fromEntries(new URLSearchParams(search));
    const signed = await signer.sign(new HttpRequest({ method: parts.method, protocol: 'http:', hostname: host.split(':')[0]!, path, query: signedQuery, headers, body: text }));
    return { ...wire, headers: signed.headers as Record<string, string> };
  });
}
