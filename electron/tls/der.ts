/**
 * The few ASN.1 DER encodings an X.509 certificate needs (X.690): Node's crypto makes keys and signatures but has no
 * certificate builder, and this is all of one.
 */
export type Der = Buffer;

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export const tlv = (tag: number, content: Buffer): Der => Buffer.concat([Buffer.from([tag]), length(content.length), content]);

export const sequence = (...items: Der[]): Der => tlv(0x30, Buffer.concat(items));
export const set = (...items: Der[]): Der => tlv(0x31, Buffer.concat(items));
export const boolean = (value: boolean): Der => tlv(0x01, Buffer.from([value ? 0xff : 0]));
export const octetString = (content: Buffer): Der => tlv(0x04, content);
export const utf8String = (text: string): Der => tlv(0x0c, Buffer.from(text, 'utf8'));
/** A BIT STRING of whole bytes, or of `bits` whose last `unusedBits` bits do not count (key usage flags). */
export const bitString = (content: Buffer, unusedBits = 0): Der => tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content]));
/** [n] EXPLICIT: the tagged value wrapped whole. */
export const explicit = (n: number, value: Der): Der => tlv(0xa0 | n, value);
/** [n] IMPLICIT of a primitive: the content under the context tag (SAN's dNSName [2], iPAddress [7]). */
export const implicit = (n: number, content: Buffer): Der => tlv(0x80 | n, content);

/** A non-negative INTEGER from its big-endian bytes. */
export function unsignedInteger(bytes: Buffer): Der {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export const smallInteger = (n: number): Der => unsignedInteger(Buffer.from([n]));

export function objectId(dotted: string): Der {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * first! + second!];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let value = arc >>> 7; value > 0; value >>>= 7) groups.unshift(0x80 | (value & 0x7f));
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime through 2049, GeneralizedTime from 2050, as RFC 5280 4.1.2.5 requires. */
export function time(date: Date): Der {
  const digits = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${digits}Z`));
}

interface Element {
  offset: number;
  contentStart: number;
  end: number;
}

function elementAt(bytes: Buffer, offset: number): Element {
  let size = bytes[offset + 1]!;
  let contentStart = offset + 2;
  if (size & 0x80) {
    const count = size & 0x7f;
    size = 0;
    for (let i = 0; i < count; i++) size = size * 256 + bytes[contentStart + i]!;
    contentStart += count;
  }
  return { offset, contentStart, end: contentStart + size };
}

/** The subject Name of a DER certificate, byte for byte: what a certificate it issues must name as its issuer. */
export function subjectOf(certificate: Buffer): Der {
  const tbs = elementAt(certificate, elementAt(certificate, 0).contentStart);
  // version [0], serialNumber, signature, issuer, validity, subject
  let field = elementAt(certificate, tbs.contentStart);
  for (let i = 0; i < 5; i++) field = elementAt(certificate, field.end);
  return certificate.subarray(field.offset, field.end);
}
