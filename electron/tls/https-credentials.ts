import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { localCaCredentials } from './local-ca.js';

/** Where the HTTPS certificate comes from: Fleetlab's own CA (--https), or the user's PEM files or PKCS#12 file, as Azurite takes them. */
export type HttpsChoice = { source: 'local-ca' } | { source: 'pem'; certFile: string; keyFile: string } | { source: 'pfx'; pfxFile: string; passphrase?: string };

export type TlsMaterial = { cert: string | Buffer; key: string | Buffer } | { pfx: Buffer; passphrase?: string };

export interface HttpsCredentials {
  tls: TlsMaterial;
  /** Fleetlab's own CA, when it made the certificate: served at GET /_fleetlab/ca.pem. */
  ca?: { path: string; pem: string };
}

/** A certificate or key that cannot be used; its message says which file and why. */
export class CertificateError extends Error {}

export async function httpsCredentials(choice: HttpsChoice, dataDir: string, hostnames: readonly string[]): Promise<HttpsCredentials> {
  switch (choice.source) {
    case 'local-ca':
      return fromLocalCa(dataDir, hostnames);
    case 'pem':
      return fromPem(choice.certFile, choice.keyFile);
    case 'pfx':
      return fromPfx(choice.pfxFile, choice.passphrase);
  }
}

async function fromLocalCa(dataDir: string, hostnames: readonly string[]): Promise<HttpsCredentials> {
  try {
    const files = await localCaCredentials(dataDir, hostnames);
    return { tls: { cert: files.certPem, key: files.keyPem }, ca: { path: files.caPath, pem: files.caPem } };
  } catch (error) {
    // A data dir that cannot be written is the data dir's problem, explained as such where the start fails.
    if ((error as NodeJS.ErrnoException).syscall !== undefined) throw error;
    throw new CertificateError(`cannot use Fleetlab's local CA in "${dataDir}/tls" (${firstLine(error)}); delete that folder to make a new one`);
  }
}

async function fromPem(certFile: string, keyFile: string): Promise<HttpsCredentials> {
  const cert = await readGiven('--cert', certFile);
  const key = await readGiven('--key', keyFile);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch (error) {
    throw new CertificateError(`--cert "${certFile}" is not a PEM or DER certificate (${firstLine(error)})`);
  }
  try {
    if (!certificate.checkPrivateKey(createPrivateKey(key))) throw new CertificateError(`--key "${keyFile}" is not the private key of --cert "${certFile}"`);
  } catch (error) {
    if (error instanceof CertificateError) throw error;
    throw new CertificateError(`--key "${keyFile}" is not an unencrypted PEM or DER private key (${firstLine(error)})`);
  }
  return { tls: { cert, key } };
}

async function fromPfx(pfxFile: string, passphrase: string | undefined): Promise<HttpsCredentials> {
  const pfx = await readGiven('--pfx', pfxFile);
  try {
    createSecureContext({ pfx, passphrase });
  } catch (error) {
    throw new CertificateError(`--pfx "${pfxFile}" cannot be opened${passphrase === undefined ? ' without --pwd' : ' with that --pwd'} (${firstLine(error)})`);
  }
  return { tls: { pfx, ...(passphrase !== undefined && { passphrase }) } };
}

async function readGiven(flag: string, file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new CertificateError(`${flag} file "${file}" cannot be read (${(error as NodeJS.ErrnoException).code ?? firstLine(error)})`);
  }
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];
