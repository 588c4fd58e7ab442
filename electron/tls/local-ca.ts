import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { writeDocumentDurably } from '../store/json-document.js';
import { issueLocalCa, issueServerCertificate, type Issuer } from './certificates.js';

/** The names every generated server certificate carries; `--hostname` adds more. */
const LOOPBACK_NAMES = ['localhost', '*.localhost', '127.0.0.1', '::1'];
/** A server certificate is issued again this long before it expires. */
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;
const PRIVATE = 0o600;

export interface LocalCaFiles {
  /** The CA certificate clients trust (REQUESTS_CA_BUNDLE, NODE_EXTRA_CA_CERTS, AWS_CA_BUNDLE, the OS store). */
  caPath: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** Each data dir's CA work, one call after another: two calls must not both make a CA, each keeping half of it. */
const inProgress = new Map<string, Promise<unknown>>();

/**
 * Fleetlab's own CA and a server certificate from it, in `<dataDir>/tls/`: made on first use and kept, so a client
 * trusts the CA once. The server certificate is issued again when it nears its end or lacks one of `names`. Each
 * file is written whole or not at all (writeDocumentDurably): a start killed while it makes the CA (the device broker
 * makes it on every first start) must not leave half a key that the next start cannot read.
 */
export async function localCaCredentials(dataDir: string, extraNames: readonly string[] = [], now = new Date()): Promise<LocalCaFiles> {
  return (await caFiles(dataDir, extraNames, now)).files;
}

/** The local CA as an issuer of device certificates (AWS IoT's CreateKeysAndCertificate); made when missing. */
export async function localCaIssuer(dataDir: string): Promise<Issuer> {
  const { files, caKeyPem } = await caFiles(dataDir, [], new Date());
  return { certificatePem: files.caPem, key: createPrivateKey(caKeyPem) };
}

function caFiles(dataDir: string, extraNames: readonly string[], now: Date): Promise<{ files: LocalCaFiles; caKeyPem: string }> {
  const dir = path.resolve(dataDir, 'tls');
  const previous = inProgress.get(dir) ?? Promise.resolve();
  const result = previous.then(() => filesIn(dir, extraNames, now));
  inProgress.set(dir, result.catch(() => undefined));
  return result;
}

async function filesIn(dir: string, extraNames: readonly string[], now: Date): Promise<{ files: LocalCaFiles; caKeyPem: string }> {
  await mkdir(dir, { recursive: true });
  const file = (name: string) => path.join(dir, name);
  const caPath = file('fleetlab-ca.pem');
  let caPem = await readIfPresent(caPath);
  let caKeyPem = await readIfPresent(file('fleetlab-ca-key.pem'));
  // A kill between the key and the certificate leaves a pair that does not match: made again.
  if (caPem === undefined || caKeyPem === undefined || expiresSoon(caPem, now) || !pairs(caPem, caKeyPem)) {
    const ca = issueLocalCa('Fleetlab local CA', now);
    await writeDocumentDurably(file('fleetlab-ca-key.pem'), ca.keyPem, PRIVATE);
    await writeDocumentDurably(caPath, ca.certificatePem);
    ({ certificatePem: caPem, keyPem: caKeyPem } = ca);
  }
  const names = [...new Set([...LOOPBACK_NAMES, ...extraNames])];
  let certPem = await readIfPresent(file('server.pem'));
  let keyPem = await readIfPresent(file('server-key.pem'));
  if (certPem === undefined || keyPem === undefined || !servesFor(certPem, caPem, names, now) || !pairs(certPem, keyPem)) {
    const server = issueServerCertificate({ certificatePem: caPem, key: createPrivateKey(caKeyPem) }, names, now);
    await writeDocumentDurably(file('server-key.pem'), server.keyPem, PRIVATE);
    await writeDocumentDurably(file('server.pem'), server.certificatePem);
    ({ certificatePem: certPem, keyPem } = server);
  }
  return { files: { caPath, caPem, certPem, keyPem }, caKeyPem };
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function pairs(certificatePem: string, keyPem: string): boolean {
  return new X509Certificate(certificatePem).checkPrivateKey(createPrivateKey(keyPem));
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
