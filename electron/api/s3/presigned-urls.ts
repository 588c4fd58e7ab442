import { timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ObjectUrlSigner } from '../../domain/s3/object-urls.js';
import { parseQuery, splitUrl, type AwsCredentials } from '../aws/sigv4.js';
import { S3ApiError } from './s3-reply.js';

const SHA256_HEADER = 'x-amz-content-sha256';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** SigV4 query authentication allows at most a week. */
const MAX_EXPIRES_SEC = 604_800;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const CREDENTIAL = /^([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request$/;

/** The path of an object of the local S3 under its mount, each key segment percent-encoded as S3 signs it. */
function objectPath(mount: string, bucket: string, key: string): string {
  return `${mount}/${bucket}/${key.split('/').map(encodeSegment).join('/')}`;
}

const encodeSegment = (segment: string) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Presigned GETs of the local S3 (SigV4 query authentication, as S3 presigns): made with the emulator's AWS
 * credentials at the simulation clock's time, and refused once X-Amz-Expires has passed on that clock.
 */
export class PresignedUrls implements ObjectUrlSigner {
  constructor(
    private readonly credentials: AwsCredentials,
    private readonly now: () => number,
    private readonly mount: string,
  ) {}

  async presignGet(origin: string, bucket: string, key: string, expiresInSec: number, region = 'us-east-1'): Promise<string> {
    const url = new URL(origin);
    const signer = this.signerFor(region);
    const presigned = await signer.presign(
      new HttpRequest({
        method: 'GET',
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port && { port: Number(url.port) }),
        path: objectPath(this.mount, bucket, key),
        headers: { host: url.host, [SHA256_HEADER]: UNSIGNED_PAYLOAD },
      }),
      {
        signingDate: new Date(this.now()),
        expiresIn: Math.min(expiresInSec, MAX_EXPIRES_SEC),
        unsignableHeaders: new Set([SHA256_HEADER]),
        unhoistableHeaders: new Set([SHA256_HEADER]),
      },
    );
    const query = new URLSearchParams(presigned.query as Record<string, string>).toString().replace(/\+/g, '%20');
    return `${url.origin}${presigned.path}?${query}`;
  }

  /** Checks a request authenticated by its query string (X-Amz-Signature); throws AccessDenied or SignatureDoesNotMatch. */
  async verify(request: { method: string; rawUrl: string; headers: Record<string, string | string[] | undefined> }): Promise<void> {
    const [path, queryString] = splitUrl(request.rawUrl);
    const { 'X-Amz-Signature': signature, ...query } = parseQuery(queryString);
    const text = (name: string) => {
      const value = query[name];
      if (typeof value !== 'string') throw new S3ApiError('AuthorizationQueryParametersError', `Query-string authentication requires exactly one ${name} parameter.`);
      return value;
    };
    if (text('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') throw new S3ApiError('InvalidRequest', 'X-Amz-Algorithm must be AWS4-HMAC-SHA256.');
    const credential = CREDENTIAL.exec(text('X-Amz-Credential'));
    if (!credential) throw new S3ApiError('InvalidRequest', 'X-Amz-Credential must be <access key>/<yyyyMMdd>/<region>/s3/aws4_request.');
    const [, accessKeyId, scopeDate, region] = credential as unknown as string[];
    if (accessKeyId !== this.credentials.accessKeyId) throw new S3ApiError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    const date = AMZ_DATE.exec(text('X-Amz-Date'));
    if (!date || text('X-Amz-Date').slice(0, 8) !== scopeDate) throw new S3ApiError('InvalidRequest', 'X-Amz-Date must be yyyyMMddTHHmmssZ on the day of the credential scope.');
    const [, year, month, day, hour, minute, second] = date.map(Number) as number[];
    const signingDate = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
    const expires = Number(text('X-Amz-Expires'));
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_SEC) {
      throw new S3ApiError('InvalidRequest', `X-Amz-Expires must be a number of seconds from 1 to ${MAX_EXPIRES_SEC}.`);
    }
    if (this.now() > signingDate.getTime() + expires * 1000) throw new S3ApiError('AccessDenied', 'Request has expired');
    const signedHeaders = text('X-Amz-SignedHeaders').split(';');
    const headers: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const name of signedHeaders) {
      const value = request.headers[name];
      if (value === undefined) throw new S3ApiError('AccessDenied', `There were headers present in the request which were not signed: ${name}.`);
      headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const expected = await this.signerFor(region!).presign(new HttpRequest({ method: request.method, path, query, headers: { ...headers, [SHA256_HEADER]: UNSIGNED_PAYLOAD } }), {
      signingDate,
      expiresIn: expires,
      unsignableHeaders: new Set([SHA256_HEADER]),
      unhoistableHeaders: new Set([SHA256_HEADER]),
    });
    const computed = String(expected.query?.['X-Amz-Signature'] ?? '');
    if (typeof signature !== 'string' || computed.length !== signature.length || !timingSafeEqual(Buffer.from(computed), Buffer.from(signature))) {
      throw new S3ApiError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
    }
  }

  private signerFor(region: string): SignatureV4 {
    return new SignatureV4({ credentials: this.credentials, region, service: 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: false });
  }
}
