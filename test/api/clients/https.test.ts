import { spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLocalCa, issueServerCertificate } from '../../../electron/tls/certificates.js';
import { CLI, startServeProcess, type ServeProcess } from '../../helpers/serve-process.js';
import { httpsGet } from '../../helpers/tls-http.js';

const TOKEN = 'SharedAccessSignature sr=https&sig=https-test&skn=https&se=4102444800000';
const JOBS = '/api/jobs?api-version=2022-07-31';
const auth = { authorization: TOKEN };

describe('fleetlab serve --https', () => {
  let dataDir: string;
  let serve: ServeProcess;
  let caPath: string;
  let caPem: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-https-'));
    serve = await startServeProcess(dataDir, TOKEN, { args: ['--https', '--hostname', 'fleet.localhost'] });
    caPath = path.join(dataDir, 'tls', 'fleetlab-ca.pem');
    caPem = await readFile(caPath, 'utf8');
  });
  afterAll(async () => {
    await serve.signal('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints its https address first, then where its CA is and how to trust it', async () => {
    await expect.poll(() => serve.stdout(), { message: 'the emulator has printed how to trust its CA' }).toContain('AWS_CA_BUNDLE=');
    const lines = serve.stdout().split('\n');
    expect(lines[0]).toMatch(/^Fleetlab listening on https:\/\/127\.0\.0\.1:\d+$/);
    const hint = lines.slice(2).join('\n');
    expect(hint).toContain(`HTTPS certificate authority: ${caPath}`);
    for (const variable of ['REQUESTS_CA_BUNDLE', 'NODE_EXTRA_CA_CERTS', 'AWS_CA_BUNDLE']) expect(hint).toContain(`${variable}=${caPath}`);
  });

  it("answers Node's https when it trusts only the generated CA, and fails verification without it", async () => {
    const res = await httpsGet(`${serve.url}${JOBS}`, { ca: caPem, headers: auth });
    expect(res).toEqual({ status: 200, body: '{"value":[]}' });
    await expect(httpsGet(`${serve.url}${JOBS}`, { headers: auth })).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('serves its CA at GET /_fleetlab/ca.pem', async () => {
    const res = await httpsGet(`${serve.url}/_fleetlab/ca.pem`, { ca: caPem, headers: auth });
    expect(res).toEqual({ status: 200, body: caPem });
  });

  it('answers under a --hostname name, whose certificate it lists; an unknown name is refused', async () => {
    const port = new URL(serve.url).port;
    const named = await httpsGet(`${serve.url}${JOBS}`, { ca: caPem, servername: 'fleet.localhost', headers: { ...auth, host: `fleet.localhost:${port}` } });
    expect(named.status).toBe(200);
    const other = await httpsGet(`${serve.url}${JOBS}`, { ca: caPem, servername: 'localhost', headers: { ...auth, host: `other.localhost:${port}` } });
    expect(other.status).toBe(403);
  });

  it('answers curl --cacert', () => {
    const curl = spawnSync('curl', ['--version']);
    if (curl.error) return void console.warn(`skipped: curl is not installed (${curl.error.message})`);
    const result = spawnSync('curl', ['--silent', '--show-error', '--cacert', caPath, '-H', `Authorization: ${TOKEN}`, `${serve.url}${JOBS}`], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('{"value":[]}');
  });

  it('keeps its CA in the data dir: a restart serves a certificate from the same CA', async () => {
    await serve.signal('SIGTERM');
    serve = await startServeProcess(dataDir, TOKEN, { env: { FLEETLAB_HTTPS: '1' } });
    expect(serve.url).toMatch(/^https:/);
    expect(await readFile(caPath, 'utf8')).toBe(caPem);
    expect((await httpsGet(`${serve.url}${JOBS}`, { ca: caPem, headers: auth })).status).toBe(200);
  });
});

describe('fleetlab serve --cert/--key', () => {
  let dir: string;
  let serve: ServeProcess | undefined;
  let testCa: { certificatePem: string; keyPem: string };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fleetlab-own-cert-'));
    testCa = issueLocalCa('A test CA');
    const server = issueServerCertificate({ certificatePem: testCa.certificatePem, key: createPrivateKey(testCa.keyPem) }, ['127.0.0.1']);
    await writeFile(path.join(dir, 'cert.pem'), server.certificatePem);
    await writeFile(path.join(dir, 'key.pem'), server.keyPem);
  });
  afterAll(async () => {
    await serve?.signal('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  it('serves HTTPS with a certificate the test made, and has no CA of its own to serve', async () => {
    serve = await startServeProcess(path.join(dir, 'data'), TOKEN, { args: ['--cert', path.join(dir, 'cert.pem'), '--key', path.join(dir, 'key.pem')] });
    expect(serve.url).toMatch(/^https:\/\/127\.0\.0\.1:/);
    expect(serve.stdout()).not.toContain('HTTPS certificate authority');
    expect((await httpsGet(`${serve.url}${JOBS}`, { ca: testCa.certificatePem, headers: auth })).status).toBe(200);
    const ca = await httpsGet(`${serve.url}/_fleetlab/ca.pem`, { ca: testCa.certificatePem, headers: auth });
    expect(ca.status).toBe(404);
    expect(JSON.parse(ca.body)).toMatchObject({ error: { message: 'Fleetlab has no CA of its own: it serves HTTPS with the certificate given by --cert or --pfx.' } });
  });

  it('serves HTTPS with a PKCS#12 file and its --pwd, and refuses a wrong --pwd in one line', async () => {
    const openssl = spawnSync('openssl', ['pkcs12', '-export', '-out', 'cert.pfx', '-inkey', 'key.pem', '-in', 'cert.pem', '-passout', 'pass:s3cret'], { cwd: dir, encoding: 'utf8' });
    if (openssl.error) return void console.warn(`skipped: openssl, which makes the test's PKCS#12 file, is not installed (${openssl.error.message})`);
    expect(openssl.status, openssl.stderr).toBe(0);
    const wrong = spawnSync(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', path.join(dir, 'pfx-data'), '--pfx', 'cert.pfx', '--pwd', 'wrong'], { cwd: dir, encoding: 'utf8' });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/^fleetlab: --pfx "cert\.pfx" cannot be opened with that --pwd \(.+\)\n$/);
    const pfxServe = await startServeProcess(path.join(dir, 'pfx-data'), TOKEN, { args: ['--pfx', path.join(dir, 'cert.pfx'), '--pwd', 's3cret'] });
    try {
      expect((await httpsGet(`${pfxServe.url}${JOBS}`, { ca: testCa.certificatePem, headers: auth })).status).toBe(200);
    } finally {
      await pfxServe.signal('SIGTERM');
    }
  });

  it.each([
    [['--cert', 'cert.pem'], 'fleetlab: --cert and --key go together: give both'],
    [['--cert', 'missing.pem', '--key', 'key.pem'], 'fleetlab: --cert file "missing.pem" cannot be read (ENOENT)'],
    [['--cert', 'key.pem', '--key', 'key.pem'], 'fleetlab: --cert "key.pem" is not a PEM or DER certificate'],
    [['--pwd', 'secret'], 'fleetlab: --pwd is the password of a --pfx file; give --pfx too'],
    [['--hostname', 'bad name!'], 'fleetlab: --hostname must be a DNS name or an IP address, got "bad name!"'],
  ])('refuses %j in one line with exit code 2', (args, message) => {
    const result = spawnSync(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', path.join(dir, 'refused'), ...args], { cwd: dir, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });
});
