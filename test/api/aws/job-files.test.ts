import {
  CreateJobCommand,
  CreateJobTemplateCommand,
  CreateThingCommand,
  DescribeJobCommand,
  DescribeJobExecutionCommand,
  DescribeJobTemplateCommand,
  GetJobDocumentCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import {
  DescribeJobExecutionCommand as DescribeExecutionOnDeviceCommand,
  StartNextPendingJobExecutionCommand,
  UpdateJobExecutionCommand,
  type IoTJobsDataPlaneClient,
  type StartNextPendingJobExecutionCommandOutput,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { patternBytes, s3Client, uploadInParts } from '../s3/s3-client.js';
import { advanceClock, createFleet, describeUntilDone, iotClient, jobsDataClient, rejectionOf, thingArn, useVirtualTime } from './aws-client.js';

const installDocument = JSON.stringify({ operation: 'install', version: '2.0.1' });

describe('AWS job documents and files in the local S3', () => {
  let host: TestHost;
  let iot: IoTClient;
  let agent: IoTJobsDataPlaneClient;
  let s3: S3Client;

  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    agent = jobsDataClient(host);
    s3 = s3Client(host);
    await createFleet(host, 'ota', 1, 'ota-type');
    await iot.send(new CreateThingCommand({ thingName: 'gateway-1', thingTypeName: 'ota-type', attributePayload: { attributes: { 'fleetlab:external': 'true' } } }));
    await s3.send(new CreateBucketCommand({ Bucket: 'firmware' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'jobdocs' }));
    await s3.send(new PutObjectCommand({ Bucket: 'jobdocs', Key: 'install/2.0.1.json', Body: installDocument, ContentType: 'application/json' }));
  });
  afterAll(() => host.stop());

  it('OTA: the agent gets a presigned URL for the 5 MB image, downloads it byte for byte, and the URL expires after expiresInSec of virtual time', async () => {
    const image = patternBytes(5 * 1024 * 1024);
    await s3.send(new PutObjectCommand({ Bucket: 'firmware', Key: 'gateway/fw-2.0.1.bin', Body: image }));
    const document = JSON.stringify({ operation: 'ota', url: '${aws:iot:s3-presigned-url:https://s3.amazonaws.com/firmware/gateway/fw-2.0.1.bin}' });
    await iot.send(
      new CreateJobCommand({
        jobId: 'ota-1',
        targets: [thingArn('gateway-1')],
        document,
        presignedUrlConfig: { expiresInSec: 600, roleArn: 'arn:aws:iam::123456789012:role/ota-download' },
        namespaceId: 'fleet-ota',
      }),
    );
    expect((await iot.send(new DescribeJobCommand({ jobId: 'ota-1' }))).job).toMatchObject({ namespaceId: 'fleet-ota', presignedUrlConfig: { expiresInSec: 600 } });
    // The control plane keeps the placeholder: URLs are made per delivery.
    expect((await iot.send(new GetJobDocumentCommand({ jobId: 'ota-1' }))).document).toBe(document);

    let started: StartNextPendingJobExecutionCommandOutput | undefined;
    await expect.poll(async () => (started = await agent.send(new StartNextPendingJobExecutionCommand({ thingName: 'gateway-1' }))).execution?.jobId).toBe('ota-1');
    const delivered = JSON.parse(started!.execution!.jobDocument!) as { operation: string; url: string };
    expect(delivered.operation).toBe('ota');
    const url = new URL(delivered.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${host.url}/s3/firmware/gateway/fw-2.0.1.bin`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600');

    const download = await fetch(delivered.url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(image)).toBe(true);

    await advanceClock(host, 601_000);
    const expired = await fetch(delivered.url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
    // A URL someone edited is refused too.
    const tampered = await fetch(delivered.url.replace('fw-2.0.1.bin', 'fw-2.0.2.bin'));
    expect(tampered.status).toBe(403);

    await agent.send(new UpdateJobExecutionCommand({ thingName: 'gateway-1', jobId: 'ota-1', status: 'SUCCEEDED' }));
    expect((await describeUntilDone(iot, 'ota-1')).job!.status).toBe('COMPLETED');
  });

  it('reads documentSource from the local S3 in CreateJob (path-style and virtual-hosted links) and in a job template (s3://)', async () => {
    await iot.send(new CreateJobCommand({ jobId: 'from-s3', targets: [thingArn('ota-1')], documentSource: 'https://s3.amazonaws.com/jobdocs/install/2.0.1.json' }));
    expect((await iot.send(new GetJobDocumentCommand({ jobId: 'from-s3' }))).document).toBe(installDocument);
    await iot.send(new CreateJobCommand({ jobId: 'from-s3-virtual', targets: [thingArn('ota-1')], documentSource: 'https://jobdocs.s3.us-east-1.amazonaws.com/install/2.0.1.json' }));
    expect((await iot.send(new GetJobDocumentCommand({ jobId: 'from-s3-virtual' }))).document).toBe(installDocument);

    await iot.send(new CreateJobTemplateCommand({ jobTemplateId: 'install-from-s3', description: 'Install 2.0.1', documentSource: 's3://jobdocs/install/2.0.1.json' }));
    const template = await iot.send(new DescribeJobTemplateCommand({ jobTemplateId: 'install-from-s3' }));
    expect(template.documentSource).toBe('s3://jobdocs/install/2.0.1.json');
    await iot.send(new CreateJobCommand({ jobId: 'from-template', targets: [thingArn('ota-1')], jobTemplateArn: template.jobTemplateArn }));
    expect((await iot.send(new GetJobDocumentCommand({ jobId: 'from-template' }))).document).toBe(installDocument);
  });

  it('takes a file from the UI (PUT /_fleetlab/aws/files) into the local S3 and answers the placeholder for its job document', async () => {
    const image = patternBytes(300_000);
    const put = await fetch(`${host.url}/_fleetlab/aws/files/ui-firmware/${encodeURIComponent('valve/fw 3.bin')}`, {
      method: 'PUT',
      headers: { authorization: host.token, 'content-type': 'application/octet-stream' },
      body: image,
    });
    expect(put.status).toBe(201);
    const stored = (await put.json()) as { bucket: string; key: string; size: number; placeholder: string };
    expect(stored).toMatchObject({ bucket: 'ui-firmware', key: 'valve/fw 3.bin', size: image.length });
    expect(stored.placeholder).toBe('${aws:iot:s3-presigned-url:https://s3.amazonaws.com/ui-firmware/valve/fw%203.bin}');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'ui-firmware', Key: 'valve/fw 3.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(image)).toBe(true);

    await iot.send(new CreateJobCommand({ jobId: 'ui-ota', targets: [thingArn('gateway-1')], document: JSON.stringify({ url: stored.placeholder }) }));
    let started: StartNextPendingJobExecutionCommandOutput | undefined;
    await expect.poll(async () => (started = await agent.send(new StartNextPendingJobExecutionCommand({ thingName: 'gateway-1' }))).execution?.jobId).toBe('ui-ota');
    const { url } = JSON.parse(started!.execution!.jobDocument!) as { url: string };
    expect(Buffer.from(await (await fetch(url)).arrayBuffer()).equals(image)).toBe(true);
    await agent.send(new UpdateJobExecutionCommand({ thingName: 'gateway-1', jobId: 'ui-ota', status: 'SUCCEEDED' }));
  });

  it('answers InvalidRequestException for a documentSource whose object or bucket does not exist', async () => {
    const missingKey = await rejectionOf(iot.send(new CreateJobCommand({ jobId: 'missing', targets: [thingArn('ota-1')], documentSource: 'https://s3.amazonaws.com/jobdocs/nothing.json' })));
    expect(missingKey).toMatchObject({ name: 'InvalidRequestException', $metadata: { httpStatusCode: 400 } });
    expect(missingKey.message).toContain('does not exist');
    const missingBucket = await rejectionOf(iot.send(new CreateJobTemplateCommand({ jobTemplateId: 'missing', description: 'x', documentSource: 's3://no-such-bucket/doc.json' })));
    expect(missingBucket).toMatchObject({ name: 'InvalidRequestException' });
    const notS3 = await rejectionOf(iot.send(new CreateJobCommand({ jobId: 'not-s3', targets: [thingArn('ota-1')], documentSource: 'https://example.com/doc.json' })));
    expect(notS3).toMatchObject({ name: 'InvalidRequestException' });
    expect(await rejectionOf(iot.send(new DescribeJobCommand({ jobId: 'missing' })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('runs a job from objects uploaded in parts: documentSource reads the document, the agent downloads the image byte for byte', async () => {
    const image = patternBytes(6 * 1024 * 1024 + 321);
    expect((await uploadInParts(s3, 'firmware', 'gateway/fw-3.0.0.bin', image, 5 * 1024 * 1024)).etag).toMatch(/-2"$/);
    const document = JSON.stringify({ operation: 'ota', url: '${aws:iot:s3-presigned-url:s3://firmware/gateway/fw-3.0.0.bin}' });
    await uploadInParts(s3, 'jobdocs', 'ota/3.0.0.json', Buffer.from(document), 5 * 1024 * 1024);
    await iot.send(new CreateJobCommand({ jobId: 'ota-multipart', targets: [thingArn('gateway-1')], documentSource: 's3://jobdocs/ota/3.0.0.json' }));
    expect((await iot.send(new GetJobDocumentCommand({ jobId: 'ota-multipart' }))).document).toBe(document);

    let started: StartNextPendingJobExecutionCommandOutput | undefined;
    await expect.poll(async () => (started = await agent.send(new StartNextPendingJobExecutionCommand({ thingName: 'gateway-1' }))).execution?.jobId).toBe('ota-multipart');
    const { url } = JSON.parse(started!.execution!.jobDocument!) as { url: string };
    const download = await fetch(url);
    expect(download.headers.get('etag')).toMatch(/-2"$/);
    expect(Buffer.from(await download.arrayBuffer()).equals(image)).toBe(true);
    await agent.send(new UpdateJobExecutionCommand({ thingName: 'gateway-1', jobId: 'ota-multipart', status: 'SUCCEEDED' }));
    expect((await describeUntilDone(iot, 'ota-multipart')).job!.status).toBe('COMPLETED');
  });
});

describe('Simulated things downloading a job file', () => {
  let host: TestHost;
  let iot: IoTClient;
  let s3: S3Client;
  const things: Record<string, string[]> = {};

  beforeAll(async () => {
    host = await startTestHost();
    await useVirtualTime(host);
    iot = iotClient(host);
    s3 = s3Client(host);
    await s3.send(new CreateBucketCommand({ Bucket: 'firmware' }));
    // 1 MiB: with downloadFailureRatePerMb 0.5 each download fails with probability one half.
    await s3.send(new PutObjectCommand({ Bucket: 'firmware', Key: 'fw.bin', Body: patternBytes(1024 * 1024) }));
    for (const prefix of ['once', 'retried', 'slow']) {
      things[prefix] = await createFleet(host, prefix, prefix === 'slow' ? 10 : 200, `${prefix}-type`);
    }
    for (const prefix of ['once', 'retried']) {
      await host.call('PUT', `/_fleetlab/templates/${prefix}-type/behavior`, { commandFailureRate: 0, offlineRate: 0, downloadFailureRatePerMb: 0.5 });
    }
    // Two simulated minutes per MiB: longer than the URL's one minute.
    await host.call('PUT', '/_fleetlab/templates/slow-type/behavior', { commandFailureRate: 0, offlineRate: 0, downloadMsPerMb: 120_000 });
  });
  afterAll(() => host.stop());

  const document = JSON.stringify({ url: '${aws:iot:s3-presigned-url:s3://firmware/fw.bin}' });
  const DOWNLOAD_FAILED = 'The device could not download the file the job document links to.';
  const URL_EXPIRED = 'The presigned URL of the job file expired before the device finished downloading it.';

  /** The failed executions' reasons, as the UI's executions table reads them, with how many say each. */
  async function failureReasons(jobId: string): Promise<Record<string, number>> {
    const page = (await (await host.call('GET', `/_fleetlab/aws/jobs/${jobId}/executions?status=FAILED&limit=500`)).json()) as { executions: { statusDetails?: Record<string, string> }[] };
    const reasons: Record<string, number> = {};
    for (const { statusDetails } of page.executions) {
      const reason = statusDetails?.reason ?? 'none';
      reasons[reason] = (reasons[reason] ?? 0) + 1;
    }
    return reasons;
  }

  /** A failed execution as DescribeJobExecution answers it, on the control plane and on the jobs data plane. */
  async function describeFailed(jobId: string, thingName: string) {
    const { execution } = await iot.send(new DescribeJobExecutionCommand({ jobId, thingName }));
    const onDevice = await jobsDataClient(host).send(new DescribeExecutionOnDeviceCommand({ jobId, thingName }));
    return { status: execution?.status, details: execution?.statusDetails?.detailsMap, dataPlane: onDevice.execution?.statusDetails };
  }

  it('fails executions at the download failure rate, and retries bring the failures down as the retry config says', async () => {
    await iot.send(new CreateJobCommand({ jobId: 'download-once', targets: things.once!.map(thingArn), document }));
    await iot.send(
      new CreateJobCommand({
        jobId: 'download-retried',
        targets: things.retried!.map(thingArn),
        document,
        jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 2 }] },
      }),
    );
    const once = (await describeUntilDone(iot, 'download-once')).job!.jobProcessDetails!;
    const retried = (await describeUntilDone(iot, 'download-retried')).job!.jobProcessDetails!;
    expect(once.numberOfSucceededThings! + once.numberOfFailedThings!).toBe(200);
    // Half of 200 fail (binomial, sd ≈ 7); after two retries one in eight does (25, sd ≈ 4.7).
    expect(once.numberOfFailedThings).toBeGreaterThan(70);
    expect(once.numberOfFailedThings).toBeLessThan(130);
    expect(retried.numberOfSucceededThings! + retried.numberOfFailedThings!).toBe(200);
    expect(retried.numberOfFailedThings).toBeGreaterThan(5);
    expect(retried.numberOfFailedThings).toBeLessThan(50);

    // Each failed execution says its download failed, not that the device answered with an error.
    expect(await failureReasons('download-once')).toEqual({ [DOWNLOAD_FAILED]: once.numberOfFailedThings });
    const failed = (await (await host.call('GET', '/_fleetlab/aws/jobs/download-once/executions?status=FAILED&limit=1')).json()) as { executions: { thingName: string }[] };
    expect(await describeFailed('download-once', failed.executions[0]!.thingName)).toEqual({ status: 'FAILED', details: { reason: DOWNLOAD_FAILED }, dataPlane: { reason: DOWNLOAD_FAILED } });
    const succeeded = (await (await host.call('GET', '/_fleetlab/aws/jobs/download-once/executions?status=SUCCEEDED&limit=1')).json()) as { executions: { thingName: string }[] };
    const { execution } = await iot.send(new DescribeJobExecutionCommand({ jobId: 'download-once', thingName: succeeded.executions[0]!.thingName }));
    expect(execution).toMatchObject({ status: 'SUCCEEDED', statusDetails: {} });
  });

  it('fails every execution whose download outlasts the presigned URL', async () => {
    await iot.send(new CreateJobCommand({ jobId: 'download-slow', targets: things.slow!.map(thingArn), document, presignedUrlConfig: { expiresInSec: 60 } }));
    expect((await describeUntilDone(iot, 'download-slow')).job!.jobProcessDetails).toMatchObject({ numberOfFailedThings: 10, numberOfSucceededThings: 0 });
    expect(await failureReasons('download-slow')).toEqual({ [URL_EXPIRED]: 10 });
    expect(await describeFailed('download-slow', 'slow-3')).toEqual({ status: 'FAILED', details: { reason: URL_EXPIRED }, dataPlane: { reason: URL_EXPIRED } });
    // The job's device view (the IoT Central-style table) gives the same reason.
    const devices = (await (await host.call('GET', '/_fleetlab/jobs/download-slow/devices?status=failed&limit=1')).json()) as { devices: { error?: string }[] };
    expect(devices.devices[0]?.error).toBe(URL_EXPIRED);
  });
});
