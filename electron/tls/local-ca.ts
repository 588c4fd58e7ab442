import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
    writeFileSync(caPath, ca.certificatePem);
  }
  const caPem = readFileSync(caPath, 'utf8');
  const names = [...new Set([...LOOPBACK_NAMES, ...extraNames])];
  const certPath = file('server.pem');
  const keyPath = file('server-key.pem');
  if (!existsSync(certPath) || !existsSync(keyPath) || !servesFor(readFileSync(certPath, 'utf8'), caPem, names, now)) {
    const server = issueServerCertificate({ certificatePem: caPem, key: createPrivateKey(readFileSync(file('fleetlab-ca-key.pem'))) }, names, now);
    writePrivate(keyPath, server.keyPem);
    writeFileSync(certPath, server.certificatePem);
  }
  return { caPath, caPem, certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8') };
}

/** The local CA as an issuer of device certificates (AWS IoT's CreateKeysAndCertificate); made when missing. */
export function localCaIssuer(dataDir: string): Issuer {
  const { caPem } = localCaCredentials(dataDir);
  return { certificatePem: caPem, key: createPrivateKey(readFileSync(path.join(dataDir, 'tls', 'fleetlab-ca-key.pem'))) };
}

function writePrivate(file: string, pem: string): void {
  writeFileSync(file, pem, { mode: 0o600 });
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
