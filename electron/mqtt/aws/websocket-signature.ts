import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { MAX_CLOCK_SKEW_MS, type AwsCredentials } from '../../api/aws/sigv4.js';

/** The service AWS IoT's MQTT-over-WebSocket URLs are signed for. */
const DEVICE_GATEWAY_SERVICE = 'iotdevicegateway';

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const CREDENTIAL = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/**
 * Checks an AWS IoT SigV4 WebSocket URL (`/mqtt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…&X-Amz-Date=…
 * &X-Amz-SignedHeaders=host&X-Amz-Signature=…`): the query-string form of Signature Version 4 over a GET with an
 * empty body. AWS IoT appends X-Amz-Security-Token after signing, so the signature is checked without it (and with
 * it, for signers that include it). Returns why the URL is refused, or undefined when it is good.
 */
export function websocketSignatureRefusal(credentials: AwsCredentials, url: string, headers: IncomingHttpHeaders, now = Date.now()): string | undefined {
  const [path = '/', query = ''] = url.split('?', 2);
  const params = parseQuery(query);
  if (!params) return 'the query string has an invalid percent-encoding';
  const value = (name: string) => params.find(([key]) => key === name)?.[1];
  if (value('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return 'the URL is not signed with AWS4-HMAC-SHA256 (X-Amz-Algorithm)';
  const credential = CREDENTIAL.exec(value('X-Amz-Credential') ?? '');
  if (!credential) return 'X-Amz-Credential is missing or malformed';
  const [, accessKeyId, scopeDate, region, service] = credential as unknown as string[];
  if (accessKeyId !== credentials.accessKeyId) return `access key "${accessKeyId}" is not the emulator's`;
  if (service !== DEVICE_GATEWAY_SERVICE) return `the URL is signed for service "${service}", not ${DEVICE_GATEWAY_SERVICE}`;
  const amzDate = value('X-Amz-Date') ?? '';
  const date = AMZ_DATE.exec(amzDate);
  if (!date || amzDate.slice(0, 8) !== scopeDate) return 'X-Amz-Date is missing or does not match the credential scope';
  const [, year, month, day, hour, minute, second] = date.map(Number) as number[];
  const signedAt = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  const expires = Number(value('X-Amz-Expires') ?? 0);
  if (signedAt > now + MAX_CLOCK_SKEW_MS) return 'the signature is not yet current';
  if (signedAt + Math.max(expires * 1000, MAX_CLOCK_SKEW_MS) < now) return 'the signature has expired';
  const signature = value('X-Amz-Signature') ?? '';
  const signedHeaders = (value('X-Amz-SignedHeaders') ?? '').split(';');
  if (!signedHeaders.includes('host')) return 'the Host header is not signed';
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${headerValue(headers[name])}\n`).join('');
  const key = signingKey(credentials.secretAccessKey, scopeDate!, region!, service!);
  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const signed = (without: readonly string[]) => {
    const canonicalQuery = params
      .filter(([name]) => !without.includes(name))
      .map(([name, text]) => [encode(name), encode(text)])
      .sort(([a, x], [b, y]) => (a! < b! ? -1 : a! > b! ? 1 : x! < y! ? -1 : x! > y! ? 1 : 0))
      .map(([name, text]) => `${name}=${text}`)
      .join('&');
    const request = ['GET', path, canonicalQuery, canonicalHeaders, signedHeaders.join(';'), EMPTY_SHA256].join('\n');
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(request)].join('\n');
    return createHmac('sha256', key).update(toSign).digest('hex');
  };
  const candidates = [signed(['X-Amz-Signature', 'X-Amz-Security-Token']), signed(['X-Amz-Signature'])];
  if (!candidates.some((expected) => expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature)))) {
    return 'the signature does not match (check the secret access key and the signed host)';
  }
  return undefined;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** RFC 3986 encoding, as SigV4's canonical query asks. */
const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const headerValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(',') : (value ?? '')).trim().replace(/\s+/g, ' ');

function parseQuery(query: string): [string, string][] | undefined {
  try {
    return query
      .split('&')
      .filter((pair) => pair !== '')
      .map((pair) => {
        const at = pair.indexOf('=');
        return [decodeURIComponent(at < 0 ? pair : pair.slice(0, at)), decodeURIComponent(at < 0 ? '' : pair.slice(at + 1))];
      });
  } catch {
    return undefined;
  }
}
