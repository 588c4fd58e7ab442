import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { multipartEtag, patternBytes, s3Client } from './s3-client.js';

const MiB = 1024 * 1024;
let host: TestHost | undefined;
afterEach(async () => {
  await host?.stop();
  host = undefined;
});

const partsOf = (bytes: Buffer, size: number) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, index) => bytes.subarray(index * size, (index + 1) * size));

describe("@aws-sdk/lib-storage's Upload, the JavaScript SDK's way to send large files", () => {
  it('uploads a buffer and a stream of unknown length in concurrent parts, with progress, into whole objects', async () => {
    host = await startTestHost();
    const s3 = s3Client(host);
    await s3.send(new CreateBucketCommand({ Bucket: 'ota' }));
    const image = patternBytes(17 * MiB + 321);

    const progress: number[] = [];
    const fromBuffer = new Upload({ client: s3, params: { Bucket: 'ota', Key: 'fw/buffer.bin', Body: image }, partSize: 5 * MiB, queueSize: 2 });
    fromBuffer.on('httpUploadProgress', (event) => progress.push(event.loaded ?? 0));
    const sent = await fromBuffer.done();
    expect(sent.ETag).toBe(multipartEtag(partsOf(image, 5 * MiB)));
    expect(Math.max(...progress)).toBe(image.length);

    const chunks = partsOf(image, 700 * 1024);
    const streamed = await new Upload({ client: s3, params: { Bucket: 'ota', Key: 'fw/stream.bin', Body: Readable.from(chunks) }, partSize: 6 * MiB, queueSize: 3 }).done();
    expect(streamed.ETag).toBe(multipartEtag(partsOf(image, 6 * MiB)));

    for (const key of ['fw/buffer.bin', 'fw/stream.bin']) {
      const object = await s3.send(new GetObjectCommand({ Bucket: 'ota', Key: key }));
      expect(Buffer.from(await object.Body!.transformToByteArray()).equals(image), key).toBe(true);
    }
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'ota' }))).Uploads ?? []).toEqual([]);
  });

  it('sends a file smaller than one part as a single PutObject', async () => {
    host = await startTestHost();
    const s3 = s3Client(host);
    await s3.send(new CreateBucketCommand({ Bucket: 'ota' }));
    const small = patternBytes(200 * 1024);
    await new Upload({ client: s3, params: { Bucket: 'ota', Key: 'small.json', Body: small } }).done();
    const object = await s3.send(new GetObjectCommand({ Bucket: 'ota', Key: 'small.json' }));
    expect(object.ETag).not.toContain('-');
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(small)).toBe(true);
  });

  it('aborts a failed upload, leaving no pending upload and no object', async () => {
    host = await startTestHost({ limits: { maxObjectMb: 8 } });
    const s3 = s3Client(host);
    await s3.send(new CreateBucketCommand({ Bucket: 'ota' }));
    const tooBig = new Upload({ client: s3, params: { Bucket: 'ota', Key: 'huge.bin', Body: patternBytes(12 * MiB) }, partSize: 5 * MiB, queueSize: 1, leavePartsOnError: false });
    await expect(tooBig.done()).rejects.toMatchObject({ name: 'EntityTooLarge' });
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'ota' }))).Uploads ?? []).toEqual([]);
    await expect(s3.send(new GetObjectCommand({ Bucket: 'ota', Key: 'huge.bin' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
  });
});
