import { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_AWS_CREDENTIALS } from '../../../electron/api/aws/credentials.js';
import type { AwsCredentials } from '../../../electron/api/aws/sigv4.js';
import type { TestHost } from '../../helpers/host.js';
import { REGION } from '../aws/aws-client.js';

/** The real S3 client pointed at the local S3, as the README configures it: endpoint `<url>/s3`, path-style. */
export function s3Client(host: TestHost, credentials: AwsCredentials = DEFAULT_AWS_CREDENTIALS): S3Client {
  return new S3Client({ endpoint: `${host.url}/s3`, forcePathStyle: true, region: REGION, credentials, maxAttempts: 1 });
}

/** Deterministic bytes that differ at every offset, so a shifted or truncated copy never compares equal. */
export function patternBytes(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  return bytes;
}
