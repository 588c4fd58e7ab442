import { CreateJobCommand, CreateThingCommand, type IoTClient } from '@aws-sdk/client-iot';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectWithCertificate, inbox, issueCertificate, jobsRequest } from '../../helpers/aws-device.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { patternBytes, s3Client } from '../s3/s3-client.js';
import { iotClient, thingArn } from './aws-client.js';

const jobs = (thing: string) => `$aws/things/${thing}/jobs`;
const placeholder = '${aws:iot:s3-presigned-url:https://s3.amazonaws.com/mqtt-firmware/valve/fw-9.bin}';

describe('AWS job documents delivered over MQTT', () => {
  let host: TestHost;
  let iot: IoTClient;
  let device: MqttClient;
  const image = patternBytes(256 * 1024);

  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1, mqtt: { port: 0 } });
    iot = iotClient(host);
    const s3 = s3Client(host);
    await s3.send(new CreateBucketCommand({ Bucket: 'mqtt-firmware' }));
    await s3.send(new PutObjectCommand({ Bucket: 'mqtt-firmware', Key: 'valve/fw-9.bin', Body: image }));
    await iot.send(new CreateThingCommand({ thingName: 'ota-valve' }));
    await iot.send(new CreateThingCommand({ thingName: 'ns-valve' }));
    const ca = await (await host.call('GET', '/_fleetlab/ca.pem')).text();
    device = await connectWithCertificate(host.mqtt!.port, ca, await issueCertificate(iot, 'ota-valve'), 'ota-valve');
  });
  const others: MqttClient[] = [];
  afterAll(async () => {
    await Promise.allSettled(others.map((client) => client.endAsync(true)));
    await device?.endAsync(true);
    await host?.stop();
  });

  it('replaces the presigned-URL placeholder in notify-next, start-next and update with a URL the device downloads the file from', async () => {
    const received = inbox(device);
    await device.subscribeAsync(`${jobs('ota-valve')}/notify-next`, { qos: 1 });
    await iot.send(
      new CreateJobCommand({
        jobId: 'mqtt-ota',
        targets: [thingArn('ota-valve')],
        document: JSON.stringify({ operation: 'ota', url: placeholder }),
        presignedUrlConfig: { expiresInSec: 300 },
      }),
    );

    await expect.poll(() => received.get(`${jobs('ota-valve')}/notify-next`)?.at(-1)).toMatchObject({ execution: { jobId: 'mqtt-ota' } });
    const notifiedUrl = (received.get(`${jobs('ota-valve')}/notify-next`)!.at(-1) as { execution: { jobDocument: { url: string } } }).execution.jobDocument.url;
    expect(new URL(notifiedUrl).pathname).toBe('/s3/mqtt-firmware/valve/fw-9.bin');

    const started = await jobsRequest(device, `${jobs('ota-valve')}/start-next`);
    const { url } = (started.body.execution as { jobDocument: { url: string } }).jobDocument;
    expect(url).not.toContain('${aws:iot');
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('300');
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(image)).toBe(true);

    const done = await jobsRequest(device, `${jobs('ota-valve')}/mqtt-ota/update`, { status: 'SUCCEEDED', includeJobDocument: true });
    expect(done.accepted).toBe(true);
    expect((done.body.jobDocument as { url: string }).url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s3\/mqtt-firmware\/valve\/fw-9\.bin\?/);
  });

  it('lists a job created with a namespaceId on notify-namespace-{namespaceId} as well as on notify', async () => {
    const ca = await (await host.call('GET', '/_fleetlab/ca.pem')).text();
    const thing = await connectWithCertificate(host.mqtt!.port, ca, await issueCertificate(iot, 'ns-valve'), 'ns-valve');
    others.push(thing);
    const received = inbox(thing);
    await thing.subscribeAsync([`${jobs('ns-valve')}/notify-namespace-fleet-ota`, `${jobs('ns-valve')}/notify`], { qos: 1 });
    await iot.send(new CreateJobCommand({ jobId: 'ns-plain', targets: [thingArn('ns-valve')], document: '{"step":"plain"}' }));
    await expect.poll(() => received.get(`${jobs('ns-valve')}/notify`)?.at(-1)).toMatchObject({ jobs: { QUEUED: [{ jobId: 'ns-plain' }] } });
    await iot.send(new CreateJobCommand({ jobId: 'ns-ota', targets: [thingArn('ns-valve')], document: '{"step":"ota"}', namespaceId: 'fleet-ota' }));

    await expect.poll(() => received.get(`${jobs('ns-valve')}/notify-namespace-fleet-ota`)?.at(-1)).toMatchObject({ jobs: { QUEUED: [{ jobId: 'ns-ota', versionNumber: 1 }] } });
    const namespaced = received.get(`${jobs('ns-valve')}/notify-namespace-fleet-ota`)!;
    expect(namespaced.flatMap((message) => (message.jobs as { QUEUED?: { jobId: string }[] }).QUEUED ?? []).map((job) => job.jobId)).not.toContain('ns-plain');
    await expect.poll(() => received.get(`${jobs('ns-valve')}/notify`)?.at(-1)).toMatchObject({ jobs: { QUEUED: [{ jobId: 'ns-plain' }, { jobId: 'ns-ota' }] } });
  });
});
