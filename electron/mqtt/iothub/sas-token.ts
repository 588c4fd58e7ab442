import { createHmac, timingSafeEqual } from 'node:crypto';

/** A parsed `SharedAccessSignature sr=…&sig=…&se=…[&skn=…]`: `sr` as sent (URL-encoded), since that is what was signed. */
export interface SasToken {
  resource: string;
  encodedResource: string;
  signature: Buffer;
  expiresAt: number;
}

const PREFIX = 'SharedAccessSignature ';

export function parseSasToken(text: string): SasToken | undefined {
  if (!text.startsWith(PREFIX)) return undefined;
  const fields = new Map<string, string>();
  for (const part of text.slice(PREFIX.length).split('&')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields.set(part.slice(0, equals), part.slice(equals + 1));
  }
  const sr = fields.get('sr');
  const sig = fields.get('sig');
  const se = fields.get('se');
  if (sr === undefined || sig === undefined || se === undefined || !/^\d+$/.test(se)) return undefined;
  try {
    return { resource: decodeURIComponent(sr), encodedResource: sr, signature: Buffer.from(decodeURIComponent(sig), 'base64'), expiresAt: Number(se) * 1000 };
  } catch {
    return undefined;
  }
}

/** Why a token does not grant access to `resource`, or undefined when one of `keys` (base64) signed it and it is current. */
export function sasRefusal(token: SasToken, resource: (signedFor: string) => boolean, keys: readonly string[], now: number): string | undefined {
  if (!resource(token.resource)) return `the token is for "${token.resource}", not for this device`;
  if (token.expiresAt <= now) return `the token expired at ${new Date(token.expiresAt).toISOString()}`;
  const signed = `${token.encodedResource}\n${token.expiresAt / 1000}`;
  const matches = keys.some((key) => {
    const expected = createHmac('sha256', Buffer.from(key, 'base64')).update(signed).digest();
    return expected.length === token.signature.length && timingSafeEqual(expected, token.signature);
  });
  return matches ? undefined : 'the signature does not match the device key';
}
