import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsErrorHandler } from '../../../electron/api/aws/errors.js';
import { IOT_MODEL } from '../../../electron/api/aws/service-model.js';
import { centralErrorHandler } from '../../../electron/api/central/errors.js';
import { s3ErrorHandler } from '../../../electron/api/s3/s3-reply.js';
import { storageErrorOf } from '../../../electron/store/storage-error.js';
import { buildDist } from '../../helpers/emulator-process.js';
import { CLI } from '../../helpers/serve-process.js';

const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

describe('writes the data dir refuses', () => {
  it.each([
    ['EROFS', 503, 'ServiceUnavailable'],
    ['EIO', 503, 'ServiceUnavailable'],
    ['ENOSPC', 507, 'InsufficientStorage'],
    ['EDQUOT', 507, 'InsufficientStorage'],
  ])('%s answers %i %s in the IoT Central shape', async (code, status, errorCode) => {
    const app = Fastify();
    app.setErrorHandler(centralErrorHandler);
    app.put('/thing', async () => {
      throw storageErrorOf(errno(code), 'the device');
    });
    const res = await app.inject({ method: 'PUT', url: '/thing' });
    expect(res.statusCode).toBe(status);
    expect(res.headers['x-ms-error-code']).toBe(errorCode);
    expect(res.json().error).toMatchObject({ code: errorCode, message: expect.stringContaining('was not saved') });
  });

  it.each([
    ['EROFS', 503, 'ServiceUnavailableException'],
    ['ENOSPC', 507, 'InsufficientStorageException'],
  ])('%s answers %i %s in the AWS shape', async (code, status, errorType) => {
    const app = Fastify();
    app.setErrorHandler(awsErrorHandler(IOT_MODEL, () => undefined));
    app.put('/thing', async () => {
      throw storageErrorOf(errno(code), 'the thing');
    });
    const res = await app.inject({ method: 'PUT', url: '/thing' });
    expect(res.statusCode).toBe(status);
    expect(res.headers['x-amzn-errortype']).toContain(errorType);
  });
});

describe('object writes the data dir refuses, in the local S3', () => {
  it.each([
    ['EROFS', 503, 'ServiceUnavailable'],
    ['ENOSPC', 507, 'InsufficientStorage'],
  ])('%s answers %i %s in S3\'s XML', async (code, status, errorCode) => {
    const app = Fastify();
    app.setErrorHandler(s3ErrorHandler);
    app.put('/s3/bucket/key', async () => {
      throw storageErrorOf(errno(code), 'object "key"');
    });
    const res = await app.inject({ method: 'PUT', url: '/s3/bucket/key' });
    expect(res.statusCode).toBe(status);
    expect(res.body).toContain(`<Code>${errorCode}</Code>`);
    expect(res.body).toContain('was not saved');
  });
});

describe('a data dir that is read-only at start', () => {
  let dir: string;
  let mounted = false;
  beforeAll(async () => {
    buildDist();
    dir = await mkdtemp(path.join(tmpdir(), 'fleetlab-ro-'));
    try {
      execFileSync('mount', ['--bind', dir, dir], { stdio: 'pipe' });
      execFileSync('mount', ['-o', 'remount,bind,ro', dir], { stdio: 'pipe' });
      mounted = true;
    } catch (error) {
      console.log(`read-only start test skipped: a read-only bind mount was refused (${(error as Error).message.split('\n')[0]})`);
    }
  }, 300_000);
  afterAll(async () => {
    if (mounted) execFileSync('umount', [dir]);
    await rm(dir, { recursive: true, force: true });
  });

  it('is one line naming the data dir and exit code 2', ({ skip }) => {
    if (!mounted) skip();
    const run = spawnSync(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dir], { encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(dir)]);
  });
});
