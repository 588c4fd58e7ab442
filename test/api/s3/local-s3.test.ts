import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_AWS_CREDENTIALS } from '../../../electron/api/aws/credentials.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { REGION, rejectionOf } from '../aws/aws-client.js';
import { patternBytes, s3Client } from './s3-client.js';

let host: TestHost | undefined;
afterEach(async () => {
  await host?.stop();
  host = undefined;
});

async function bytesOf(body: { transformToByteArray(): Promise<Uint8Array> } | undefined): Promise<Buffer> {
  return Buffer.from(await body!.transformToByteArray());
}

describe('local S3 with @aws-sdk/client-s3', () => {
  it('creates buckets, puts a 5 MB file and a streamed one, and gets them back byte for byte, whole and by range', async () => {
    host = await startTestHost();
    const info = (await (await host.call('GET', '/_fleetlab/info')).json()) as { s3Endpoint: string };
    expect(info.s3Endpoint).toBe(`${host.url}/s3`);
    const s3 = s3Client(host);
    await s3.send(new CreateBucketCommand({ Bucket: 'firmware' }));
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((bucket) => bucket.Name)).toEqual(['firmware']);

    const image = patternBytes(5 * 1024 * 1024 + 17);
    const put = await s3.send(new PutObjectCommand({ Bucket: 'firmware', Key: 'v2/image.bin', Body: image, ContentType: 'application/x-firmware', Metadata: { build: '42' } }));
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'firmware', Key: 'v2/image.bin' }));
    expect(got.ContentLength).toBe(image.length);
    expect(got.ContentType).toBe('application/x-firmware');
    expect(got.Metadata).toEqual({ build: '42' });
    expect((await bytesOf(got.Body)).equals(image)).toBe(true);

    const range = await s3.send(new GetObjectCommand({ Bucket: 'firmware', Key: 'v2/image.bin', Range: 'bytes=1000-1999' }));
    expect(range.ContentRange).toBe(`bytes 1000-1999/${image.length}`);
    expect((await bytesOf(range.Body)).equals(image.subarray(1000, 2000))).toBe(true);
    const tail = await s3.send(new GetObjectCommand({ Bucket: 'firmware', Key: 'v2/image.bin', Range: 'bytes=-10' }));
    expect((await bytesOf(tail.Body)).equals(image.subarray(image.length - 10))).toBe(true);
    const beyond = await rejectionOf(s3.send(new GetObjectCommand({ Bucket: 'firmware', Key: 'v2/image.bin', Range: `bytes=${image.length}-` })));
    expect(beyond).toMatchObject({ name: 'InvalidRange', $metadata: { httpStatusCode: 416 } });

    // A body of unknown length: the SDK streams it aws-chunked with a trailing CRC32.
    const streamed = patternBytes(300_000);
    await s3.send(new PutObjectCommand({ Bucket: 'firmware', Key: 'streamed.bin', Body: Readable.from([streamed.subarray(0, 100_000), streamed.subarray(100_000)]), ContentLength: streamed.length }));
    expect((await bytesOf((await s3.send(new GetObjectCommand({ Bucket: 'firmware', Key: 'streamed.bin' }))).Body)).equals(streamed)).toBe(true);

    const head = await s3.send(new HeadObjectCommand({ Bucket: 'firmware', Key: 'streamed.bin' }));
    expect(head.ContentLength).toBe(streamed.length);
  });

  it('lists keys by prefix and delimiter, page by page, and deletes them', async () => {
    host = await startTestHost();
    const s3 = s3Client(host);
    await s3.send(new CreateBucketCommand({ Bucket: 'docs' }));
    for (const key of ['a/1.json', 'a/2.json', 'b/1.json', 'c.json', 'd.json']) await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: key, Body: key }));

    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'docs', Delimiter: '/' }));
    expect(top.CommonPrefixes?.map((prefix) => prefix.Prefix)).toEqual(['a/', 'b/']);
    expect(top.Contents?.map((object) => object.Key)).toEqual(['c.json', 'd.json']);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'docs', Prefix: 'a/' }))).Contents?.map((object) => [object.Key, object.Size])).toEqual([
      ['a/1.json', 8],
      ['a/2.json', 8],
    ]);

    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: 'docs', MaxKeys: 2, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((object) => object.Key!));
      token = page.NextContinuationToken;
      expect(page.IsTruncated).toBe(token !== undefined);
    } while (token);
    expect(keys).toEqual(['a/1.json', 'a/2.json', 'b/1.json', 'c.json', 'd.json']);

    await s3.send(new DeleteObjectCommand({ Bucket: 'docs', Key: 'c.json' }));
    expect(await rejectionOf(s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'c.json' })))).toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    expect(await rejectionOf(s3.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'c.json' })))).toMatchObject({ $metadata: { httpStatusCode: 404 } });
    expect(await rejectionOf(s3.send(new GetObjectCommand({ Bucket: 'nowhere', Key: 'x' })))).toMatchObject({ name: 'NoSuchBucket' });

    expect(await rejectionOf(s3.send(new DeleteBucketCommand({ Bucket: 'docs' })))).toMatchObject({ name: 'BucketNotEmpty', $metadata: { httpStatusCode: 409 } });
    for (const key of ['a/1.json', 'a/2.json', 'b/1.json', 'd.json']) await s3.send(new DeleteObjectCommand({ Bucket: 'docs', Key: key }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'docs' }));
    expect((await s3.send(new ListBucketsCommand({}))).Buckets).toEqual([]);
    expect(await rejectionOf(s3.send(new CreateBucketCommand({ Bucket: 'Not_Valid' })))).toMatchObject({ name: 'InvalidBucketName', $metadata: { httpStatusCode: 400 } });
  });

  it('keeps keys that look like paths inside the bucket folder, and objects across a restart', async () => {
    // A data dir of the test's own: a host started without one removes its dir when it stops.
    const dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-s3-'));
    host = await startTestHost({ dataDir });
    let s3 = s3Client(host);
    await s3.send(new CreateBucketCommand({ Bucket: 'tricky' }));
    const keys = ['../../escaped.txt', '/abs/path', 'a//b', '..', 'spaces and + plus?&=#', 'ünïcødé/ключ'];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: 'tricky', Key: key, Body: `body of ${key}` }));
    expect(await readdir(path.dirname(dataDir))).not.toContain('escaped.txt');
    expect(await readdir(dataDir)).not.toContain('escaped.txt');

    await host.stop();
    host = await startTestHost({ dataDir });
    s3 = s3Client(host);
    for (const key of keys) {
      const text = await (await s3.send(new GetObjectCommand({ Bucket: 'tricky', Key: key }))).Body!.transformToString();
      expect(text).toBe(`body of ${key}`);
    }
    const listed = (await s3.send(new ListObjectsV2Command({ Bucket: 'tricky' }))).Contents?.map((object) => object.Key);
    expect(new Set(listed)).toEqual(new Set(keys));
    await host.stop();
    host = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses objects above --max-object-mb with EntityTooLarge, and requests not signed with the emulator credentials', async () => {
    host = await startTestHost({ limits: { maxObjectMb: 1 } });
    const s3 = s3Client(host);
    await s3.send(new CreateBucketCommand({ Bucket: 'small' }));
    const tooLarge = await rejectionOf(s3.send(new PutObjectCommand({ Bucket: 'small', Key: 'big', Body: Buffer.alloc(1024 * 1024 + 1) })));
    expect(tooLarge).toMatchObject({ name: 'EntityTooLarge', $metadata: { httpStatusCode: 400 } });
    const streamedTooLarge = await rejectionOf(
      s3.send(new PutObjectCommand({ Bucket: 'small', Key: 'big', Body: Readable.from([Buffer.alloc(600_000), Buffer.alloc(600_000)]), ContentLength: 1_200_000 })),
    );
    expect(streamedTooLarge).toMatchObject({ name: 'EntityTooLarge' });
    expect(await rejectionOf(s3.send(new HeadObjectCommand({ Bucket: 'small', Key: 'big' })))).toMatchObject({ $metadata: { httpStatusCode: 404 } });

    const stranger = s3Client(host, { accessKeyId: 'fleetlab', secretAccessKey: 'wrong' });
    expect(await rejectionOf(stranger.send(new ListBucketsCommand({})))).toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    const anonymous = await fetch(`${host.url}/s3/small/anything`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('refuses bodies whose Content-MD5 or CRC32 does not match, and keeps the object it had', async () => {
    host = await startTestHost();
    const s3 = s3Client(host);
    await s3.send(new CreateBucketCommand({ Bucket: 'checked' }));
    await s3.send(new PutObjectCommand({ Bucket: 'checked', Key: 'fw.bin', Body: 'version 1' }));
    const wrongMd5 = await rejectionOf(s3.send(new PutObjectCommand({ Bucket: 'checked', Key: 'fw.bin', Body: 'version 2', ContentMD5: Buffer.alloc(16).toString('base64') })));
    expect(wrongMd5).toMatchObject({ name: 'BadDigest', $metadata: { httpStatusCode: 400 } });
    const wrongCrc = await rejectionOf(s3.send(new PutObjectCommand({ Bucket: 'checked', Key: 'fw.bin', Body: 'version 2', ChecksumCRC32: 'AAAAAA==' })));
    expect(wrongCrc).toMatchObject({ name: 'BadDigest' });
    const rightCrc = await s3.send(new PutObjectCommand({ Bucket: 'checked', Key: 'other.bin', Body: 'version 2', ChecksumAlgorithm: 'CRC32' }));
    expect(rightCrc.ETag).toBeDefined();
    // Another operation on the same path (object tagging) is refused, never taken for a PutObject.
    const tagging = await rejectionOf(s3.send(new PutObjectTaggingCommand({ Bucket: 'checked', Key: 'fw.bin', Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } })));
    expect(tagging).toMatchObject({ name: 'NotImplemented', $metadata: { httpStatusCode: 501 } });
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'checked', Key: 'fw.bin' }))).Body!.transformToString()).toBe('version 1');
  });

  it('names its buckets in a snapshot, by reference: objects stay files in the data dir', async () => {
    host = await startTestHost();
    const s3 = s3Client(host);
    await s3.send(new CreateBucketCommand({ Bucket: 'kept' }));
    await s3.send(new PutObjectCommand({ Bucket: 'kept', Key: 'fw.bin', Body: patternBytes(1000) }));
    const snapshot = (await (await host.call('GET', '/_fleetlab/snapshot')).json()) as { data: Record<string, unknown> };
    expect(Object.keys(snapshot.data.s3Buckets as object)).toEqual(['kept']);
    expect(JSON.stringify(snapshot)).not.toContain('fw.bin');

    expect((await host.call('POST', '/_fleetlab/reset')).status).toBeLessThan(300);
    expect(await rejectionOf(s3.send(new HeadObjectCommand({ Bucket: 'kept', Key: 'fw.bin' })))).toMatchObject({ $metadata: { httpStatusCode: 404 } });
    expect((await host.call('PUT', '/_fleetlab/snapshot', snapshot)).status).toBeLessThan(300);
    await expect.poll(async () => (await s3.send(new ListObjectsV2Command({ Bucket: 'kept' }))).KeyCount).toBe(1);
  });
});

describe('local S3 aws-chunked trailers', () => {
  it('ignores a trailer checksum named like an Object.prototype member, as any checksum it does not know', async () => {
    host = await startTestHost();
    const s3 = s3Client(host);
    await s3.send(new CreateBucketCommand({ Bucket: 'trailers' }));
    const url = new URL(`${host.url}/s3/trailers/odd-trailer.txt`);
    const body = '5\r\nhello\r\n0\r\nx-amz-checksum-constructor:abc\r\n\r\n';
    const signer = new SignatureV4({ credentials: DEFAULT_AWS_CREDENTIALS, region: REGION, service: 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: false });
    const signed = await signer.sign(
      new HttpRequest({
        method: 'PUT',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        headers: {
          host: url.host,
          'content-encoding': 'aws-chunked',
          'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
          'x-amz-decoded-content-length': '5',
          'x-amz-trailer': 'x-amz-checksum-constructor',
        },
        body,
      }),
    );
    const res = await fetch(url, { method: 'PUT', headers: signed.headers, body });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await bytesOf((await s3.send(new GetObjectCommand({ Bucket: 'trailers', Key: 'odd-trailer.txt' }))).Body)).toString()).toBe('hello');
  });
});
