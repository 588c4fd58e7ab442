import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { rejectionOf } from '../aws/aws-client.js';
import { multipartEtag, patternBytes, s3Client } from './s3-client.js';

const MiB = 1024 * 1024;
let host: TestHost | undefined;
afterEach(async () => {
  await host?.stop();
  host = undefined;
});

async function bytesOf(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  return Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray());
}

/** The data dir's upload folders of a bucket (each pending upload has one). */
async function uploadFolders(dataDir: string, bucket: string): Promise<string[]> {
  return readdir(path.join(dataDir, 's3', bucket, 'uploads')).catch(() => []);
}

describe('multipart uploads of the local S3 with @aws-sdk/client-s3', () => {
  it('assembles three 5 MiB parts and a small last one, sent out of order, into the object with S3’s multipart ETag', async () => {
    host = await startTestHost();
    const s3 = s3Client(host);
    await s3.send(new CreateBucketCommand({ Bucket: 'firmware' }));
    const image = patternBytes(15 * MiB + 1234);
    const parts = [0, 1, 2, 3].map((index) => image.subarray(index * 5 * MiB, (index + 1) * 5 * MiB));
    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'firmware', Key: 'pump/fw-3.bin', ContentType: 'application/x-firmware', Metadata: { build: '7' } }));
    const UploadId = created.UploadId!;
    expect(created).toMatchObject({ Bucket: 'firmware', Key: 'pump/fw-3.bin' });

    const etags: string[] = [];
    for (const index of [3, 1, 0, 2]) {
      const body = index === 2 ? Readable.from([parts[2]!.subarray(0, MiB), parts[2]!.subarray(MiB)]) : parts[index]!;
      // A stream of unknown length goes aws-chunked with a trailing CRC32, as PutObject's do.
      const sent = await s3.send(new UploadPartCommand({ Bucket: 'firmware', Key: 'pump/fw-3.bin', UploadId, PartNumber: index + 1, Body: body, ContentLength: parts[index]!.length }));
      etags[index] = sent.ETag!;
    }
    expect(etags).toEqual(parts.map((part) => `"${createHash('md5').update(part).digest('hex')}"`));

    const listedParts = await s3.send(new ListPartsCommand({ Bucket: 'firmware', Key: 'pump/fw-3.bin', UploadId, MaxParts: 3 }));
    expect(listedParts.Parts?.map((part) => [part.PartNumber, part.Size, part.ETag])).toEqual([0, 1, 2].map((index) => [index + 1, 5 * MiB, etags[index]]));
    expect(listedParts).toMatchObject({ IsTruncated: true, NextPartNumberMarker: '3' });
    const rest = await s3.send(new ListPartsCommand({ Bucket: 'firmware', Key: 'pump/fw-3.bin', UploadId, PartNumberMarker: '3' }));
    expect(rest.Parts?.map((part) => [part.PartNumber, part.Size])).toEqual([[4, 1234]]);
    const pending = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'firmware' }));
    expect(pending.Uploads?.map((upload) => [upload.Key, upload.UploadId])).toEqual([['pump/fw-3.bin', UploadId]]);
    // Not an object until it is complete.
    expect(await rejectionOf(s3.send(new HeadObjectCommand({ Bucket: 'firmware', Key: 'pump/fw-3.bin' })))).toMatchObject({ $metadata: { httpStatusCode: 404 } });

    const completed = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: 'firmware', Key: 'pump/fw-3.bin', UploadId, MultipartUpload: { Parts: etags.map((ETag, index) => ({ ETag, PartNumber: index + 1 })) } }),
    );
    const etag = multipartEtag(parts);
    expect(completed).toMatchObject({ Bucket: 'firmware', Key: 'pump/fw-3.bin', ETag: etag, Location: `${host.url}/s3/firmware/pump/fw-3.bin` });
    const got = await s3.send(new GetObjectCommand({ Bucket: 'firmware', Key: 'pump/fw-3.bin' }));
    expect(got).toMatchObject({ ETag: etag, ContentLength: image.length, ContentType: 'application/x-firmware', Metadata: { build: '7' } });
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(image)).toBe(true);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'firmware' }))).Contents?.map((object) => [object.Key, object.Size, object.ETag])).toEqual([['pump/fw-3.bin', image.length, etag]]);

    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'firmware' }))).Uploads ?? []).toEqual([]);
    expect(await uploadFolders(host.dataDir, 'firmware')).toEqual([]);
    const again = await rejectionOf(s3.send(new ListPartsCommand({ Bucket: 'firmware', Key: 'pump/fw-3.bin', UploadId })));
    expect(again).toMatchObject({ name: 'NoSuchUpload', $metadata: { httpStatusCode: 404 } });
  });

  it('refuses a part list out of order, with a wrong ETag, a missing part, or a small part before the last, and keeps the upload', async () => {
    host = await startTestHost();
    const s3 = s3Client(host);
    await s3.send(new CreateBucketCommand({ Bucket: 'checks' }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'checks', Key: 'fw.bin' }));
    const upload = (PartNumber: number, Body: Buffer) => s3.send(new UploadPartCommand({ Bucket: 'checks', Key: 'fw.bin', UploadId, PartNumber, Body }));
    const first = await upload(1, patternBytes(5 * MiB));
    const small = await upload(2, Buffer.from('small'));
    const last = await upload(3, Buffer.from('last'));
    const complete = (Parts: { ETag: string; PartNumber: number }[]) =>
      rejectionOf(s3.send(new CompleteMultipartUploadCommand({ Bucket: 'checks', Key: 'fw.bin', UploadId, MultipartUpload: { Parts } })));

    const outOfOrder = await complete([{ ETag: small.ETag!, PartNumber: 2 }, { ETag: first.ETag!, PartNumber: 1 }]);
    expect(outOfOrder).toMatchObject({ name: 'InvalidPartOrder', $metadata: { httpStatusCode: 400 } });
    expect(await complete([{ ETag: first.ETag!, PartNumber: 1 }, { ETag: first.ETag!, PartNumber: 1 }])).toMatchObject({ name: 'InvalidPartOrder' });
    expect(await complete([{ ETag: '"00000000000000000000000000000000"', PartNumber: 1 }])).toMatchObject({ name: 'InvalidPart', $metadata: { httpStatusCode: 400 } });
    expect(await complete([{ ETag: first.ETag!, PartNumber: 1 }, { ETag: first.ETag!, PartNumber: 7 }])).toMatchObject({ name: 'InvalidPart' });
    const tooSmall = await complete([{ ETag: small.ETag!, PartNumber: 2 }, { ETag: last.ETag!, PartNumber: 3 }]);
    expect(tooSmall).toMatchObject({ name: 'EntityTooSmall', $metadata: { httpStatusCode: 400 } });
    const badPartNumber = await rejectionOf(upload(10_001, Buffer.from('x')));
    expect(badPartNumber).toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });

    // A body that is no part list, as a hand-written client might send it.
    for (const body of ['not xml', '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>', '<Other/>']) {
      const rewriting = s3Client(host);
      rewriting.middlewareStack.add((next) => (args) => next({ ...args, request: Object.assign(args.request as object, { body }) }), { step: 'build', priority: 'high' });
      const malformed = await rejectionOf(rewriting.send(new CompleteMultipartUploadCommand({ Bucket: 'checks', Key: 'fw.bin', UploadId, MultipartUpload: { Parts: [{ ETag: first.ETag!, PartNumber: 1 }] } })));
      expect(malformed).toMatchObject({ name: 'MalformedXML', $metadata: { httpStatusCode: 400 } });
    }

    // Parts left out of the list are dropped: part 1 and the small last one make the object.
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: 'checks', Key: 'fw.bin', UploadId, MultipartUpload: { Parts: [{ ETag: first.ETag!, PartNumber: 1 }, { ETag: last.ETag!, PartNumber: 3 }] } }),
    );
    expect(done.ETag).toBe(multipartEtag([patternBytes(5 * MiB), Buffer.from('last')]));
    expect((await bytesOf(s3, 'checks', 'fw.bin')).equals(Buffer.concat([patternBytes(5 * MiB), Buffer.from('last')]))).toBe(true);
  });

  it('aborts an upload (its parts go), answers NoSuchUpload for unknown, aborted, or path-like upload ids and another key, and checks signatures', async () => {
    host = await startTestHost();
    const s3 = s3Client(host);
    await s3.send(new CreateBucketCommand({ Bucket: 'aborts' }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'aborts', Key: 'fw.bin' }));
    await s3.send(new UploadPartCommand({ Bucket: 'aborts', Key: 'fw.bin', UploadId, PartNumber: 1, Body: patternBytes(1000) }));
    expect(await uploadFolders(host.dataDir, 'aborts')).toEqual([UploadId]);
    const otherKey = await rejectionOf(s3.send(new ListPartsCommand({ Bucket: 'aborts', Key: 'other.bin', UploadId })));
    expect(otherKey).toMatchObject({ name: 'NoSuchUpload', $metadata: { httpStatusCode: 404 } });

    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'aborts', Key: 'fw.bin', UploadId }));
    expect(await uploadFolders(host.dataDir, 'aborts')).toEqual([]);
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'aborts' }))).Uploads ?? []).toEqual([]);
    for (const id of [UploadId!, 'no-such-upload', '../../../etc', `../${UploadId}`]) {
      const part = await rejectionOf(s3.send(new UploadPartCommand({ Bucket: 'aborts', Key: 'fw.bin', UploadId: id, PartNumber: 1, Body: 'x' })));
      expect(part).toMatchObject({ name: 'NoSuchUpload', $metadata: { httpStatusCode: 404 } });
      expect(await rejectionOf(s3.send(new AbortMultipartUploadCommand({ Bucket: 'aborts', Key: 'fw.bin', UploadId: id })))).toMatchObject({ name: 'NoSuchUpload' });
      const complete = s3.send(new CompleteMultipartUploadCommand({ Bucket: 'aborts', Key: 'fw.bin', UploadId: id, MultipartUpload: { Parts: [{ ETag: '"x"', PartNumber: 1 }] } }));
      expect(await rejectionOf(complete)).toMatchObject({ name: 'NoSuchUpload' });
    }
    expect(await rejectionOf(s3.send(new CreateMultipartUploadCommand({ Bucket: 'nowhere', Key: 'fw.bin' })))).toMatchObject({ name: 'NoSuchBucket' });
    // Signed as PutObject must be: no signature or another secret is refused before any upload is touched.
    const anonymous = await fetch(`${host.url}/s3/aborts/fw.bin?uploads`, { method: 'POST' });
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain('<Code>AccessDenied</Code>');
    const stranger = s3Client(host, { accessKeyId: 'fleetlab', secretAccessKey: 'wrong' });
    expect(await rejectionOf(stranger.send(new CreateMultipartUploadCommand({ Bucket: 'aborts', Key: 'fw.bin' })))).toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'aborts' }))).Uploads ?? []).toEqual([]);
    expect(await rejectionOf(s3.send(new HeadObjectCommand({ Bucket: 'aborts', Key: 'fw.bin' })))).toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it('lists pending uploads by prefix, delimiter and page, and bounds how many may be pending', async () => {
    host = await startTestHost();
    const s3 = s3Client(host);
    await s3.send(new CreateBucketCommand({ Bucket: 'many' }));
    const keys = ['a/1.bin', 'a/2.bin', 'b.bin', 'c.bin'];
    for (const Key of keys) await s3.send(new CreateMultipartUploadCommand({ Bucket: 'many', Key }));
    const top = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'many', Delimiter: '/' }));
    expect(top.CommonPrefixes?.map((prefix) => prefix.Prefix)).toEqual(['a/']);
    expect(top.Uploads?.map((upload) => upload.Key)).toEqual(['b.bin', 'c.bin']);
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'many', Prefix: 'a/' }))).Uploads?.map((upload) => upload.Key)).toEqual(['a/1.bin', 'a/2.bin']);
    const listed: string[] = [];
    let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
    for (;;) {
      const page = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'many', MaxUploads: 3, ...markers }));
      listed.push(...(page.Uploads ?? []).map((upload) => upload.Key!));
      if (!page.IsTruncated) break;
      markers = { KeyMarker: page.NextKeyMarker, UploadIdMarker: page.NextUploadIdMarker };
    }
    expect(listed).toEqual(keys);

    for (let index = keys.length; index < 100; index++) await s3.send(new CreateMultipartUploadCommand({ Bucket: 'many', Key: `bulk/${index}` }));
    const tooMany = await rejectionOf(s3.send(new CreateMultipartUploadCommand({ Bucket: 'many', Key: 'one-more' })));
    expect(tooMany).toMatchObject({ name: 'InvalidRequest', $metadata: { httpStatusCode: 400 } });
    expect(tooMany.message).toContain('at most 100 pending multipart uploads');
  });

  it('drops pending uploads with their bucket at a reset, and brings them back with it at an import', async () => {
    host = await startTestHost();
    const s3 = s3Client(host);
    await s3.send(new CreateBucketCommand({ Bucket: 'snapshotted' }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'snapshotted', Key: 'fw.bin' }));
    await s3.send(new UploadPartCommand({ Bucket: 'snapshotted', Key: 'fw.bin', UploadId, PartNumber: 1, Body: 'part one' }));
    const snapshot = await (await host.call('GET', '/_fleetlab/snapshot')).json();
    expect((await host.call('POST', '/_fleetlab/reset')).status).toBeLessThan(300);
    expect(await rejectionOf(s3.send(new ListMultipartUploadsCommand({ Bucket: 'snapshotted' })))).toMatchObject({ name: 'NoSuchBucket' });
    expect((await host.call('PUT', '/_fleetlab/snapshot', snapshot)).status).toBeLessThan(300);
    await expect.poll(async () => (await s3.send(new ListMultipartUploadsCommand({ Bucket: 'snapshotted' }))).Uploads?.map((upload) => upload.UploadId)).toEqual([UploadId]);
    expect((await s3.send(new ListPartsCommand({ Bucket: 'snapshotted', Key: 'fw.bin', UploadId }))).Parts?.map((part) => part.Size)).toEqual([8]);
  });

  it('fails a part early once the parts exceed --max-object-mb', async () => {
    host = await startTestHost({ limits: { maxObjectMb: 12 } });
    const s3 = s3Client(host);
    await s3.send(new CreateBucketCommand({ Bucket: 'bounded' }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'bounded', Key: 'fw.bin' }));
    for (const PartNumber of [1, 2]) await s3.send(new UploadPartCommand({ Bucket: 'bounded', Key: 'fw.bin', UploadId, PartNumber, Body: patternBytes(5 * MiB) }));
    const third = await rejectionOf(s3.send(new UploadPartCommand({ Bucket: 'bounded', Key: 'fw.bin', UploadId, PartNumber: 3, Body: patternBytes(5 * MiB) })));
    expect(third).toMatchObject({ name: 'EntityTooLarge', $metadata: { httpStatusCode: 400 } });
    const streamed = Readable.from([patternBytes(MiB), patternBytes(2 * MiB)]);
    const streamedThird = await rejectionOf(s3.send(new UploadPartCommand({ Bucket: 'bounded', Key: 'fw.bin', UploadId, PartNumber: 3, Body: streamed, ContentLength: 3 * MiB })));
    expect(streamedThird).toMatchObject({ name: 'EntityTooLarge' });
    expect((await s3.send(new ListPartsCommand({ Bucket: 'bounded', Key: 'fw.bin', UploadId }))).Parts?.map((part) => part.PartNumber)).toEqual([1, 2]);
    // Replacing a part counts its new size only.
    await s3.send(new UploadPartCommand({ Bucket: 'bounded', Key: 'fw.bin', UploadId, PartNumber: 2, Body: patternBytes(7 * MiB) }));
  });

  it('keeps pending uploads and their parts across a restart, and a completion cut short after its object was made leaves no upload', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-s3-mpu-'));
    host = await startTestHost({ dataDir });
    let s3 = s3Client(host);
    await s3.send(new CreateBucketCommand({ Bucket: 'durable' }));
    const image = patternBytes(5 * MiB + 500);
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'durable', Key: 'fw.bin' }));
    const first = await s3.send(new UploadPartCommand({ Bucket: 'durable', Key: 'fw.bin', UploadId, PartNumber: 1, Body: image.subarray(0, 5 * MiB) }));

    await host.stop();
    host = await startTestHost({ dataDir });
    s3 = s3Client(host);
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'durable' }))).Uploads?.map((upload) => upload.UploadId)).toEqual([UploadId]);
    expect((await s3.send(new ListPartsCommand({ Bucket: 'durable', Key: 'fw.bin', UploadId }))).Parts?.map((part) => [part.PartNumber, part.ETag])).toEqual([[1, first.ETag]]);
    const second = await s3.send(new UploadPartCommand({ Bucket: 'durable', Key: 'fw.bin', UploadId, PartNumber: 2, Body: image.subarray(5 * MiB) }));

    // The upload's files as they were just before completion, put back after it: as if the process died between
    // committing the object and removing the upload.
    const uploadFolder = path.join(dataDir, 's3', 'durable', 'uploads', UploadId!);
    const aside = path.join(dataDir, 'aside');
    await cp(uploadFolder, aside, { recursive: true });
    const Parts = [{ ETag: first.ETag!, PartNumber: 1 }, { ETag: second.ETag!, PartNumber: 2 }];
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'durable', Key: 'fw.bin', UploadId, MultipartUpload: { Parts } }));
    await host.stop();
    await cp(aside, uploadFolder, { recursive: true });

    host = await startTestHost({ dataDir });
    s3 = s3Client(host);
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'durable' }))).Uploads ?? []).toEqual([]);
    expect(await uploadFolders(dataDir, 'durable')).toEqual([]);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'durable', Key: 'fw.bin' }));
    expect(got.ETag).toBe(multipartEtag([image.subarray(0, 5 * MiB), image.subarray(5 * MiB)]));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(image)).toBe(true);
    await host.stop();
    host = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });
});
