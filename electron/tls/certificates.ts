import { generateKeyPair, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { isIP } from 'node:net';
import forge from 'node-forge';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface IssuedCertificate {
  certificatePem: string;
  keyPem: string;
}

export interface Issuer {
  certificatePem: string;
  key: KeyObject;
}

/** A new local certificate authority: an RSA key and a self-signed certificate allowed to sign server certificates only. */
export function issueLocalCa(commonName: string, now = new Date()): IssuedCertificate {
  const keys = rsaKeyPair();
  const certificate = unsignedCertificate(keys.publicKey, now, 10 * 365);
  const name = distinguishedName(commonName);
  certificate.setSubject(name);
  certificate.setIssuer(name);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(keys.privateKey, forge.md.sha256.create());
  return { certificatePem: forge.pki.certificateToPem(certificate), keyPem: keys.privateKeyPem };
}

/**
 * A server certificate signed by `issuer` for `names` (DNS names, `*.` wildcards and IP addresses). 825 days: the
 * longest validity macOS and iOS accept from any CA, their own users' included.
 */
export function issueServerCertificate(issuer: Issuer, names: readonly string[], now = new Date()): IssuedCertificate {
  const keys = rsaKeyPair();
  const ca = forge.pki.certificateFromPem(issuer.certificatePem);
  const certificate = unsignedCertificate(keys.publicKey, now, 825);
  certificate.setSubject(distinguishedName(names[0] ?? 'localhost'));
  certificate.setIssuer(ca.subject.attributes);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: names.map(alternativeName) },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  certificate.sign(forge.pki.privateKeyFromPem(issuer.key.export({ type: 'pkcs8', format: 'pem' }) as string), forge.md.sha256.create());
  return { certificatePem: forge.pki.certificateToPem(certificate), keyPem: keys.privateKeyPem };
}

/** When AWS IoT's own issued device certificates end; Fleetlab's end then too. */
const CLIENT_CERTIFICATE_END = new Date('2049-12-31T23:59:59Z');

/**
 * A device (TLS client) certificate signed by `issuer`, as AWS IoT's CreateKeysAndCertificate issues one: subject
 * "AWS IoT Certificate", client authentication only. The key is returned as PKCS#1 PEM, as AWS returns it.
 */
export async function issueClientCertificate(issuer: Issuer, now = new Date()): Promise<IssuedCertificate & { publicKeyPem: string }> {
  // Off the event loop (libuv's pool): a request for a certificate must not hold up every other request.
  const keys = forgeKeysOf(await promisify(generateKeyPair)('rsa', { modulusLength: 2048 }));
  const ca = forge.pki.certificateFromPem(issuer.certificatePem);
  const certificate = unsignedCertificate(keys.publicKey, now, 0);
  certificate.validity.notBefore = now;
  certificate.validity.notAfter = CLIENT_CERTIFICATE_END;
  certificate.setSubject([{ shortName: 'CN', value: 'AWS IoT Certificate' }]);
  certificate.setIssuer(ca.subject.attributes);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  certificate.sign(forge.pki.privateKeyFromPem(issuer.key.export({ type: 'pkcs8', format: 'pem' }) as string), forge.md.sha256.create());
  return {
    certificatePem: forge.pki.certificateToPem(certificate),
    keyPem: forge.pki.privateKeyToPem(keys.privateKey),
    publicKeyPem: forge.pki.publicKeyToPem(keys.publicKey),
  };
}

/** Node's native key generation (forge's own takes seconds in JavaScript), handed to forge as PEM. */
function rsaKeyPair() {
  return forgeKeysOf(generateKeyPairSync('rsa', { modulusLength: 2048 }));
}

function forgeKeysOf({ publicKey, privateKey }: { publicKey: KeyObject; privateKey: KeyObject }) {
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string),
    privateKey: forge.pki.privateKeyFromPem(privateKeyPem),
    privateKeyPem,
  };
}

function unsignedCertificate(publicKey: forge.pki.PublicKey, now: Date, days: number): forge.pki.Certificate {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = publicKey;
  // A positive serial of 16 unpredictable bytes, as RFC 5280 and the CA/Browser Forum ask.
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  certificate.serialNumber = serial.toString('hex');
  certificate.validity.notBefore = new Date(now.getTime() - DAY_MS);
  certificate.validity.notAfter = new Date(now.getTime() + days * DAY_MS);
  return certificate;
}

function distinguishedName(commonName: string): forge.pki.CertificateField[] {
  return [
    { shortName: 'O', value: 'Fleetlab' },
    { shortName: 'CN', value: commonName },
  ];
}

/** RFC 5280 GeneralName: 7 an IP address, 2 a DNS name. */
function alternativeName(name: string): { type: number; ip?: string; value?: string } {
  return isIP(name) ? { type: 7, ip: name } : { type: 2, value: name };
}
