import { createHash } from 'node:crypto';
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { DEFAULT_AWS_CREDENTIALS } from '../../../electron/api/aws/credentials.js';
import type { AwsCredentials } from '../../../electron/api/aws/sigv4.js';
import type { TestHost } from '../../helpers/host.js';
import { REGION } from '../aws/aws-client.js';

/** The real S3 client pointed at the local S3, as the README configures it: endpoint `<url>/s3`, path-style. */
export function s3Client(host: Pick<TestHost, 'url'>, credentials: AwsCredentials = DEFAULT_AWS_CREDENTIALS): S3Client {
  return new S3Client({ endpoint: `${host.url}/s3`, forcePathStyle: true, region: REGION, credentials, maxAttempts: 1 });
}

/** Deterministic bytes that differ at every offset, so a shifted or truncated copy never compares equal. */
export function patternBytes(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  return bytes;
}

/** Uploads `body` with CreateMultipartUpload, one UploadPart per `partSize` bytes, and CompleteMultipartUpload. */
export async function uploadInParts(s3: S3Client, bucket: string, key: string, body: Buffer, partSize: number): Promise<{ etag: string; partEtags: string[] }> {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  const partEtags: string[] = [];
  for (let offset = 0, number = 1; offset < body.length; offset += partSize, number++) {
    const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: number, Body: body.subarray(offset, offset + partSize) }));
    partEtags.push(part.ETag!);
  }
  const done = await s3.send(
    new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: partEtags.map((ETag, index) => ({ ETag, PartNumber: index + 1 })) } }),
  );
  return { etag: done.ETag!, partEtags };
}

/** S3's ETag of a multipart object: the MD5 of the parts' MD5s, then `-<number of parts>`, quoted. */
export function multipartEtag(parts: Buffer[]): string {
  const digests = Buffer.concat(parts.map((part) => createHash('md5').update(part).digest()));
  return `"${createHash('md5').update(digests).digest('hex')}-${parts.length}"`;
}
