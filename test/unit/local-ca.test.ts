import { X509Certificate } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueLocalCa } from '../../electron/tls/certificates.js';
import { localCaCredentials, localCaIssuer } from '../../electron/tls/local-ca.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe("Fleetlab's local CA", () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-ca-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('issues a server certificate for the loopback names, signed by a CA that may only sign', async () => {
    const files = await localCaCredentials(dataDir);
    const ca = new X509Certificate(files.caPem);
    const server = new X509Certificate(files.certPem);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.checkIssued(ca) && server.verify(ca.publicKey)).toBe(true);
    expect(server.subjectAltName).toBe('DNS:localhost, DNS:*.localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
  });

  it('keeps the CA and the server certificate across starts, and keeps the private keys private', async () => {
    const first = await localCaCredentials(dataDir);
    const second = await localCaCredentials(dataDir);
    expect(second).toEqual(first);
    const { mode } = statSync(path.join(dataDir, 'tls', 'fleetlab-ca-key.pem'));
    expect(mode & 0o077).toBe(0);
  });

  it('issues the server certificate again, from the same CA, for a new --hostname or near its end', async () => {
    const first = await localCaCredentials(dataDir);
    const named = await localCaCredentials(dataDir, ['fleet.localhost']);
    expect(named.caPem).toBe(first.caPem);
    expect(named.certPem).not.toBe(first.certPem);
    expect(new X509Certificate(named.certPem).subjectAltName).toContain('DNS:fleet.localhost');
    const later = await localCaCredentials(dataDir, ['fleet.localhost'], new Date(Date.now() + 800 * DAY_MS));
    expect(later.caPem).toBe(first.caPem);
    expect(later.certPem).not.toBe(named.certPem);
    expect(await readFile(later.caPath, 'utf8')).toBe(first.caPem);
  });

  it('makes one CA for calls that arrive together, and issues device certificates from it', async () => {
    const [https, mqtt, issuer] = await Promise.all([localCaCredentials(dataDir), localCaCredentials(dataDir), localCaIssuer(dataDir)]);
    expect(mqtt.caPem).toBe(https.caPem);
    expect(issuer.certificatePem).toBe(https.caPem);
    expect(new X509Certificate(https.caPem).checkPrivateKey(issuer.key)).toBe(true);
    expect(new X509Certificate(https.certPem).checkIssued(new X509Certificate(await readFile(https.caPath, 'utf8')))).toBe(true);
  });

  it('makes the CA again when a start killed between its key and its certificate left a pair that does not match', async () => {
    const first = await localCaCredentials(dataDir);
    await writeFile(path.join(dataDir, 'tls', 'fleetlab-ca-key.pem'), issueLocalCa('another', new Date()).keyPem);
    const next = await localCaCredentials(dataDir);
    expect(next.caPem).not.toBe(first.caPem);
    const issuer = await localCaIssuer(dataDir);
    expect(new X509Certificate(next.caPem).checkPrivateKey(issuer.key)).toBe(true);
    expect(new X509Certificate(next.certPem).checkIssued(new X509Certificate(next.caPem))).toBe(true);
  });
});
