import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';
import { rejectionOf } from '../aws/aws-client.js';
import { multipartEtag, patternBytes, s3Client } from './s3-client.js';

const MiB = 1024 * 1024;
const processes: EmulatorProcess[] = [];
let dataDir: string | undefined;
afterEach(async () => {
  await Promise.all(processes.splice(0).map((emulator) => emulator.kill9()));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

async function start(dir: string): Promise<EmulatorProcess> {
  const emulator = await startEmulatorProcess(dir);
  processes.push(emulator);
  return emulator;
}

describe('a multipart upload whose emulator is killed with SIGKILL while it completes', () => {
  beforeAll(() => buildDist(), 300_000);

  it('leaves either no object and the whole upload, or the whole object and no upload', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-mpu-kill-'));
    const first = await start(dataDir);
    let s3 = s3Client(first);
    await s3.send(new CreateBucketCommand({ Bucket: 'killed' }));
    const parts = [0, 1, 2, 3, 4, 5].map((index) => patternBytes(5 * MiB + index));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'killed', Key: 'fw.bin' }));
    const Parts: { ETag: string; PartNumber: number }[] = [];
    for (const [index, Body] of parts.entries()) {
      Parts.push({ ETag: (await s3.send(new UploadPartCommand({ Bucket: 'killed', Key: 'fw.bin', UploadId, PartNumber: index + 1, Body }))).ETag!, PartNumber: index + 1 });
    }
    const bucketFolder = path.join(dataDir, 's3', 'killed');
    const completing = s3.send(new CompleteMultipartUploadCommand({ Bucket: 'killed', Key: 'fw.bin', UploadId, MultipartUpload: { Parts } })).catch(() => undefined);
    // Killed once the object's data file is being written: mostly mid-assembly, at worst just after.
    await expect.poll(async () => (await readdir(bucketFolder)).some((name) => name.endsWith('.data')), { interval: 1, timeout: 10_000 }).toBe(true);
    await first.kill9();
    await completing;

    const second = await start(dataDir);
    s3 = s3Client(second);
    const image = Buffer.concat(parts);
    const pending = (await s3.send(new ListMultipartUploadsCommand({ Bucket: 'killed' }))).Uploads ?? [];
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'killed', Key: 'fw.bin' })).catch((error: unknown) => error as Error);
    if (head instanceof Error) {
      console.log('The kill landed before the object was committed: the upload is whole and completes again.');
      expect(await rejectionOf(s3.send(new GetObjectCommand({ Bucket: 'killed', Key: 'fw.bin' })))).toMatchObject({ name: 'NoSuchKey' });
      expect(pending.map((upload) => upload.UploadId)).toEqual([UploadId]);
      const listed = await s3.send(new ListPartsCommand({ Bucket: 'killed', Key: 'fw.bin', UploadId }));
      expect(listed.Parts?.map((part) => part.ETag)).toEqual(Parts.map((part) => part.ETag));
      expect((await readdir(bucketFolder)).filter((name) => name.endsWith('.data'))).toEqual([]);
      await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'killed', Key: 'fw.bin', UploadId, MultipartUpload: { Parts } }));
    } else {
      console.log('The kill landed after the object was committed: the upload is gone.');
      expect(pending).toEqual([]);
    }
    const got = await s3.send(new GetObjectCommand({ Bucket: 'killed', Key: 'fw.bin' }));
    expect(got.ETag).toBe(multipartEtag(parts));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(image)).toBe(true);
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'killed' }))).Uploads ?? []).toEqual([]);
  });
});
