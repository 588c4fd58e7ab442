import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { patternBytes } from './s3-client.js';

const cli = spawnSync('aws', ['--version'], { encoding: 'utf8' });
const missing = cli.error ? `the AWS CLI is not installed (${cli.error.message})` : undefined;
if (missing) console.log(`Skipping the AWS CLI tests of the local S3: ${missing}.`);

describe.skipIf(missing !== undefined)('the local S3 with the AWS CLI', () => {
  let host: TestHost;
  let dir: string;
  // Asynchronously: the emulator runs in this process and must answer while the CLI waits.
  const aws = (...args: string[]) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      const env = { ...process.env, AWS_ACCESS_KEY_ID: 'fleetlab', AWS_SECRET_ACCESS_KEY: 'fleetlab-secret', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: path.join(dir, 'none') };
      execFile('aws', [...args, '--endpoint-url', `${host.url}/s3`], { encoding: 'utf8', env, timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    host = await startTestHost();
    dir = await mkdtemp(path.join(tmpdir(), 'fleetlab-s3-cli-'));
  });
  afterAll(async () => {
    await host.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('makes a bucket, copies a file up and down byte for byte, lists it, and puts a 20 MB file with s3api put-object', async () => {
    const image = patternBytes(3 * 1024 * 1024);
    await writeFile(path.join(dir, 'fw.bin'), image);
    expect((await aws('s3', 'mb', 's3://cli-firmware')).status).toBe(0);
    const up = await aws('s3', 'cp', path.join(dir, 'fw.bin'), 's3://cli-firmware/pump/fw.bin', '--only-show-errors');
    expect(up.status, up.stderr).toBe(0);
    const down = await aws('s3', 'cp', 's3://cli-firmware/pump/fw.bin', path.join(dir, 'back.bin'), '--only-show-errors');
    expect(down.status, down.stderr).toBe(0);
    expect((await readFile(path.join(dir, 'back.bin'))).equals(image)).toBe(true);

    await writeFile(path.join(dir, 'big.bin'), patternBytes(20 * 1024 * 1024));
    const big = await aws('s3api', 'put-object', '--bucket', 'cli-firmware', '--key', 'big.bin', '--body', path.join(dir, 'big.bin'));
    expect(big.status, big.stderr).toBe(0);
    const listed = await aws('s3', 'ls', 's3://cli-firmware', '--recursive');
    expect(listed.stdout).toMatch(/ 20971520 big\.bin/);
    expect(listed.stdout).toMatch(/ 3145728 pump\/fw\.bin/);
  });

  it('copies a 20 MB file up with aws s3 cp at the default 8 MB multipart threshold, and back byte for byte', async () => {
    const image = patternBytes(20 * 1024 * 1024 + 99);
    await writeFile(path.join(dir, 'fw-20.bin'), image);
    expect((await aws('s3', 'mb', 's3://cli-multipart')).status).toBe(0);
    const up = await aws('s3', 'cp', path.join(dir, 'fw-20.bin'), 's3://cli-multipart/pump/fw-20.bin', '--only-show-errors');
    expect(up.status, up.stderr).toBe(0);
    // 8 MiB chunks: three parts, and S3's multipart ETag says so.
    const head = await aws('s3api', 'head-object', '--bucket', 'cli-multipart', '--key', 'pump/fw-20.bin');
    expect(head.status, head.stderr).toBe(0);
    expect(JSON.parse(head.stdout)).toMatchObject({ ContentLength: image.length, ETag: expect.stringMatching(/^"[0-9a-f]{32}-3"$/) });
    const pending = await aws('s3api', 'list-multipart-uploads', '--bucket', 'cli-multipart');
    expect(pending.status, pending.stderr).toBe(0);
    expect(pending.stdout.trim() === '' ? {} : JSON.parse(pending.stdout)).not.toHaveProperty('Uploads.0');

    const down = await aws('s3', 'cp', 's3://cli-multipart/pump/fw-20.bin', path.join(dir, 'fw-20-back.bin'), '--only-show-errors');
    expect(down.status, down.stderr).toBe(0);
    expect((await readFile(path.join(dir, 'fw-20-back.bin'))).equals(image)).toBe(true);
  });
});
