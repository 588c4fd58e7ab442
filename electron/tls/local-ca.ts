import { createPrivateKey, X509Certificate } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { issueLocalCa, issueServerCertificate, type Issuer } from './certificates.js';

/** The names every generated server certificate carries; `--hostname` adds more. */
const LOOPBACK_NAMES = ['localhost', '*.localhost', '127.0.0.1', '::1'];
/** A server certificate is issued again this long before it expires. */
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

export interface LocalCaFiles {
  /** The CA certificate clients trust (REQUESTS_CA_BUNDLE, NODE_EXTRA_CA_CERTS, AWS_CA_BUNDLE, the OS store). */
  caPath: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

/**
 * Fleetlab's own CA and a server certificate from it, in `<dataDir>/tls/`: made on first use and kept, so a client
 * trusts the CA once. The server certificate is issued again when it nears its end or lacks one of `names`.
 */
export function localCaCredentials(dataDir: string, extraNames: readonly string[] = [], now = new Date()): LocalCaFiles {
  const dir = path.join(dataDir, 'tls');
  mkdirSync(dir, { recursive: true });
  const file = (name: string) => path.join(dir, name);
  const caPath = file('fleetlab-ca.pem');
  if (!existsSync(caPath) || !existsSync(file('fleetlab-ca-key.pem')) || expiresSoon(readFileSync(caPath, 'utf8'), now)) {
    const ca = issueLocalCa('Fleetlab local CA', now);
    writePrivate(file('fleetlab-ca-key.pem'), ca.keyPem);
    writeDurably(caPath, ca.certificatePem);
  }
  const caPem = readFileSync(caPath, 'utf8');
  const names = [...new Set([...LOOPBACK_NAMES, ...extraNames])];
  const certPath = file('server.pem');
  const keyPath = file('server-key.pem');
  if (!existsSync(certPath) || !existsSync(keyPath) || !servesFor(readFileSync(certPath, 'utf8'), caPem, names, now)) {
    const server = issueServerCertificate({ certificatePem: caPem, key: createPrivateKey(readFileSync(file('fleetlab-ca-key.pem'))) }, names, now);
    writePrivate(keyPath, server.keyPem);
    writeDurably(certPath, server.certificatePem);
  }
  return { caPath, caPem, certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8') };
}

/** The local CA as an issuer of device certificates (AWS IoT's CreateKeysAndCertificate); made when missing. */
export function localCaIssuer(dataDir: string): Issuer {
  const { caPem } = localCaCredentials(dataDir);
  return { certificatePem: caPem, key: createPrivateKey(readFileSync(path.join(dataDir, 'tls', 'fleetlab-ca-key.pem'))) };
}

function writePrivate(file: string, pem: string): void {
  writeDurably(file, pem, 0o600);
}

/**
 * Whole or not at all: a start killed while it makes the CA (the device broker makes it on every first start) must
 * not leave half a key that the next start cannot read. Temporary file, fsync, rename, fsync of the folder.
 */
function writeDurably(file: string, content: string, mode = 0o644): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode });
  const fd = openSync(temporary, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  const folder = openSync(path.dirname(file), 'r');
  try {
    fsyncSync(folder);
  } finally {
    closeSync(folder);
  }
}

function expiresSoon(pem: string, now: Date): boolean {
  return new Date(new X509Certificate(pem).validTo).getTime() - now.getTime() < RENEW_BEFORE_MS;
}

function servesFor(pem: string, caPem: string, names: readonly string[], now: Date): boolean {
  const certificate = new X509Certificate(pem);
  const alternatives = certificate.subjectAltName?.split(', ') ?? [];
  const listed = (name: string) => (isIP(name) ? certificate.checkIP(name) !== undefined : alternatives.includes(`DNS:${name}`));
  return certificate.checkIssued(new X509Certificate(caPem)) && !expiresSoon(pem, now) && names.every(listed);
}
