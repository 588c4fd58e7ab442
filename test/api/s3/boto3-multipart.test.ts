import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { patternBytes } from './s3-client.js';

const probe = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
const missing = probe.error ? `python3 is not installed (${probe.error.message})` : probe.status !== 0 ? `boto3 is not importable (${probe.stderr.trim()})` : undefined;
if (missing) console.log(`Skipping the boto3 multipart test of the local S3: ${missing}.`);

/** boto3's managed transfer: upload_file goes multipart above its 8 MB default threshold, download_file in ranges. */
const SCRIPT = `
import json, sys
import boto3
from botocore.config import Config
endpoint, source, target = sys.argv[1:4]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="fleetlab",
                  aws_secret_access_key="fleetlab-secret", config=Config(s3={"addressing_style": "path"}))
s3.create_bucket(Bucket="boto3-firmware")
s3.upload_file(source, "boto3-firmware", "valve/fw.bin")
s3.download_file("boto3-firmware", "valve/fw.bin", target)
head = s3.head_object(Bucket="boto3-firmware", Key="valve/fw.bin")
pending = s3.list_multipart_uploads(Bucket="boto3-firmware").get("Uploads", [])
print(json.dumps({"etag": head["ETag"], "size": head["ContentLength"], "pending": len(pending)}))
`;

describe.skipIf(missing !== undefined)('the local S3 with boto3', () => {
  let host: TestHost;
  let dir: string;
  beforeAll(async () => {
    host = await startTestHost();
    dir = await mkdtemp(path.join(tmpdir(), 'fleetlab-s3-boto3-'));
  });
  afterAll(async () => {
    await host.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('upload_file sends a 20 MB file in parts and download_file gets it back byte for byte', async () => {
    const image = patternBytes(20 * 1024 * 1024 + 5);
    await writeFile(path.join(dir, 'fw.bin'), image);
    // Asynchronously: the emulator runs in this process and must answer while Python waits.
    const result = await new Promise<{ error: Error | null; stdout: string; stderr: string }>((resolve) =>
      execFile('python3', ['-c', SCRIPT, `${host.url}/s3`, path.join(dir, 'fw.bin'), path.join(dir, 'back.bin')], { encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) =>
        resolve({ error, stdout, stderr }),
      ),
    );
    expect(result.error, result.stderr).toBeNull();
    const answer = JSON.parse(result.stdout) as { etag: string; size: number; pending: number };
    expect(answer).toEqual({ etag: expect.stringMatching(/^"[0-9a-f]{32}-3"$/), size: image.length, pending: 0 });
    const back = await readFile(path.join(dir, 'back.bin'));
    expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(image).digest('hex'));
  });
});
