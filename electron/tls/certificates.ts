import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import * as der from './der.js';

const ECDSA_WITH_SHA256 = der.sequence(der.objectId('1.2.840.10045.4.3.2'));
const COMMON_NAME = '2.5.4.3';
const ORGANIZATION = '2.5.4.10';
const SUBJECT_KEY_ID = '2.5.29.14';
const KEY_USAGE = '2.5.29.15';
const SUBJECT_ALT_NAME = '2.5.29.17';
const BASIC_CONSTRAINTS = '2.5.29.19';
const AUTHORITY_KEY_ID = '2.5.29.35';
const EXT_KEY_USAGE = '2.5.29.37';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const DAY_MS = 24 * 60 * 60 * 1000;

export interface IssuedCertificate {
  certificatePem: string;
  keyPem: string;
}

export interface Issuer {
  certificatePem: string;
  key: KeyObject;
}

/** A new local certificate authority: a P-256 key and a self-signed certificate allowed to sign server certificates only. */
export function issueLocalCa(commonName: string, now = new Date()): IssuedCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyId = subjectKeyId(publicKey);
  const name = distinguishedName(commonName);
  const tbs = tbsCertificate({
    issuer: name,
    subject: name,
    publicKey,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + 10 * 365 * DAY_MS),
    extensions: [
      extension(BASIC_CONSTRAINTS, der.sequence(der.boolean(true), der.smallInteger(0)), true),
      // keyCertSign and cRLSign: bits 5 and 6.
      extension(KEY_USAGE, der.bitString(Buffer.from([0x06]), 1), true),
      extension(SUBJECT_KEY_ID, der.octetString(keyId)),
    ],
  });
  return { certificatePem: signedPem(tbs, privateKey), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

/**
 * A server certificate signed by `issuer` for `names` (DNS names, `*.` wildcards and IP addresses). 825 days: the
 * longest validity macOS and iOS accept from any CA, their own users' included.
 */
export function issueServerCertificate(issuer: Issuer, names: readonly string[], now = new Date()): IssuedCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issuerCertificate = new X509Certificate(issuer.certificatePem);
  const tbs = tbsCertificate({
    issuer: der.subjectOf(issuerCertificate.raw),
    subject: distinguishedName(names[0] ?? 'localhost'),
    publicKey,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + 825 * DAY_MS),
    extensions: [
      extension(BASIC_CONSTRAINTS, der.sequence(), true),
      // digitalSignature: bit 0.
      extension(KEY_USAGE, der.bitString(Buffer.from([0x80]), 7), true),
      extension(EXT_KEY_USAGE, der.sequence(der.objectId(SERVER_AUTH))),
      extension(SUBJECT_ALT_NAME, der.sequence(...names.map(alternativeName))),
      extension(SUBJECT_KEY_ID, der.octetString(subjectKeyId(publicKey))),
      extension(AUTHORITY_KEY_ID, der.sequence(der.implicit(0, subjectKeyId(issuerCertificate.publicKey)))),
    ],
  });
  return { certificatePem: signedPem(tbs, issuer.key), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

interface TbsFields {
  issuer: der.Der;
  subject: der.Der;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  extensions: der.Der[];
}

function tbsCertificate({ issuer, subject, publicKey, notBefore, notAfter, extensions }: TbsFields): der.Der {
  // A positive serial of at most 20 bytes, unpredictable, as RFC 5280 and the CA/Browser Forum ask.
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  return der.sequence(
    der.explicit(0, der.smallInteger(2)),
    der.unsignedInteger(serial),
    ECDSA_WITH_SHA256,
    issuer,
    der.sequence(der.time(notBefore), der.time(notAfter)),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    der.explicit(3, der.sequence(...extensions)),
  );
}

function signedPem(tbs: der.Der, key: KeyObject): string {
  const certificate = der.sequence(tbs, ECDSA_WITH_SHA256, der.bitString(sign('sha256', tbs, key)));
  const lines = certificate.toString('base64').match(/.{1,64}/g)!;
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function distinguishedName(commonName: string): der.Der {
  const attribute = (type: string, value: string) => der.set(der.sequence(der.objectId(type), der.utf8String(value)));
  return der.sequence(attribute(ORGANIZATION, 'Fleetlab'), attribute(COMMON_NAME, commonName));
}

function extension(id: string, value: der.Der, critical = false): der.Der {
  return der.sequence(der.objectId(id), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

/** RFC 5280's method 1: the SHA-1 of the subjectPublicKey bits. */
function subjectKeyId(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // For a P-256 key the BIT STRING is the last 66 bytes: its unused-bits byte and the 65-byte point.
  return createHash('sha1').update(spki.subarray(spki.length - 65)).digest();
}

function alternativeName(name: string): der.Der {
  const family = isIP(name);
  if (family === 4) return der.implicit(7, Buffer.from(name.split('.').map(Number)));
  if (family === 6) return der.implicit(7, ipv6Bytes(name));
  return der.implicit(2, Buffer.from(name, 'ascii'));
}

function ipv6Bytes(address: string): Buffer {
  const [head, tail] = address.split('::') as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const missing = 8 - groups(head).length - groups(tail).length;
  const all = tail === undefined ? groups(head) : [...groups(head), ...Array<string>(missing).fill('0'), ...groups(tail)];
  return Buffer.from(all.flatMap((group) => [parseInt(group, 16) >> 8, parseInt(group, 16) & 0xff]));
}
