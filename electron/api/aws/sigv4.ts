import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsError } from './errors.js';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A request as received: the raw path and query (as the client signed them), its headers and body bytes. */
export interface ReceivedRequest {
  method: string;
  rawUrl: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface VerifiedCaller {
  accessKeyId: string;
  /** The region the client signed for; Fleetlab answers as that region. */
  region: string;
}

/** How S3 differs from the other services when it checks a signature. */
interface SigningRules {
  /** S3 signs the path as sent; the other services escape it once more. */
  uriEscapePath?: boolean;
  /** S3 bodies are streamed: the signature covers x-amz-content-sha256 and the body is checked against it as it arrives. */
  payloadCheckedByCaller?: boolean;
}

/** How far X-Amz-Date may be from the server's clock, as AWS allows. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;_.-]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/**
 * Verifies AWS Signature Version 4 (Authorization header form): the request is signed again with the same
 * maintained signer the SDKs use, over exactly the headers the client listed, and the two signatures are
 * compared in constant time.
 */
export class SignatureVerifier {
  constructor(
    private readonly credentials: AwsCredentials,
    private readonly service: string,
    private readonly now: () => number = Date.now,
    private readonly rules: SigningRules = {},
  ) {}

  async verify(request: ReceivedRequest): Promise<VerifiedCaller> {
    const authorization = single(request.headers.authorization);
    if (authorization === undefined) throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    const match = AUTHORIZATION.exec(authorization);
    if (!match) {
      throw new AwsError('IncompleteSignatureException', 'The Authorization header is not an AWS Signature Version 4 (AWS4-HMAC-SHA256) header.');
    }
    const [, accessKeyId, scopeDate, region, service, signedHeaderList, signature] = match as unknown as string[];
    if (accessKeyId !== this.credentials.accessKeyId) {
      throw new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    const amzDate = single(request.headers['x-amz-date']) ?? '';
    const signingDate = this.checkDate(amzDate, scopeDate!);
    if (service !== this.service) {
      throw new AwsError('InvalidSignatureException', `Credential should be scoped to correct service: '${this.service}'.`);
    }
    const signedHeaders = signedHeaderList!.split(';');
    // Header names come from the request: no prototype, so that `__proto__` or `constructor` are plain names.
    const headers: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const name of signedHeaders) {
      const value = request.headers[name];
      if (value === undefined) throw new AwsError('InvalidSignatureException', `The request lists header "${name}" as signed but does not send it.`);
      headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    if (!('host' in headers)) throw new AwsError('InvalidSignatureException', "The 'Host' header must be signed.");
    // The signer trusts a payload hash header instead of hashing the body, so the header must match the body.
    const payloadHash = single(request.headers['x-amz-content-sha256']);
    if (!this.rules.payloadCheckedByCaller && payloadHash !== undefined && payloadHash !== createHash('sha256').update(request.body).digest('hex')) {
      throw new AwsError('InvalidSignatureException', 'The x-amz-content-sha256 header does not match the SHA-256 of the request body.');
    }
    const [path, queryString] = splitUrl(request.rawUrl);
    const signer = new SignatureV4({
      credentials: this.credentials,
      region: region!,
      service: service!,
      sha256: Sha256,
      applyChecksum: false,
      uriEscapePath: this.rules.uriEscapePath ?? true,
    });
    const resigned = await signer.sign(
      new HttpRequest({ method: request.method, path, query: parseQuery(queryString), headers, ...(request.body.length > 0 ? { body: request.body } : {}) }),
      { signingDate, signingRegion: region, signingService: service, signableHeaders: new Set(signedHeaders) },
    );
    const expected = /Signature=([0-9a-f]{64})$/.exec(String(resigned.headers.authorization))?.[1] ?? '';
    if (expected.length !== signature!.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature!))) {
      throw new AwsError(
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      );
    }
    return { accessKeyId: accessKeyId!, region: region! };
  }

  private checkDate(amzDate: string, scopeDate: string): Date {
    const parts = AMZ_DATE.exec(amzDate);
    if (!parts) throw new AwsError('IncompleteSignatureException', 'The request has no valid X-Amz-Date header (yyyyMMddTHHmmssZ).');
    const [, year, month, day, hour, minute, second] = parts.map(Number) as number[];
    const signingDate = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
    if (amzDate.slice(0, 8) !== scopeDate) {
      throw new AwsError('InvalidSignatureException', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}'.`);
    }
    const now = this.now();
    if (signingDate.getTime() < now - MAX_CLOCK_SKEW_MS) {
      throw new AwsError('InvalidSignatureException', `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - MAX_CLOCK_SKEW_MS)} (${formatAmzDate(now)} - 15 min.)`);
    }
    if (signingDate.getTime() > now + MAX_CLOCK_SKEW_MS) {
      throw new AwsError('InvalidSignatureException', `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + MAX_CLOCK_SKEW_MS)} (${formatAmzDate(now)} + 15 min.)`);
    }
    return signingDate;
  }
}

export const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

const formatAmzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

export function splitUrl(rawUrl: string): [string, string] {
  const at = rawUrl.indexOf('?');
  return at < 0 ? [rawUrl, ''] : [rawUrl.slice(0, at), rawUrl.slice(at + 1)];
}

/** Query parameters decoded exactly (no `+` as space), as the signer re-encodes them canonically. */
export function parseQuery(queryString: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const pair of queryString.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const key = safeDecode(at < 0 ? pair : pair.slice(0, at));
    const value = at < 0 ? '' : safeDecode(pair.slice(at + 1));
    const existing = Object.hasOwn(query, key) ? query[key] : undefined;
    // defineProperty: a `__proto__` parameter must become a member, not the object's prototype.
    Object.defineProperty(query, key, { value: existing === undefined ? value : [existing, value].flat(), enumerable: true, writable: true, configurable: true });
  }
  return query;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new AwsError('InvalidRequestException', `The query string has an invalid percent-encoding: "${text}".`);
  }
}
