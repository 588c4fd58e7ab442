import { Sha256 } from '@aws-crypto/sha256-js';
import { CancelJobCommand, CreateJobCommand, CreateThingCommand, DescribeJobCommand, DescribeJobExecutionCommand, UpdateCertificateCommand, type IoTClient } from '@aws-sdk/client-iot';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AWS_CREDENTIALS } from '../../../electron/api/aws/credentials.js';
import { connected, connectWithCertificate, inbox, issueCertificate, jobsRequest, REGION, tlsIotClient, type DeviceCredentials } from '../../helpers/aws-device.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { advanceClock, createFleet, thingArn } from './aws-client.js';

const document = { operation: 'install', firmware: '7.1.0' };
const jobs = (thing: string) => `$aws/things/${thing}/jobs`;

/** A signed `wss://…/mqtt` URL as AWS IoT's SDKs make it: SigV4 in the query, service iotdevicegateway. */
async function signedWebSocketUrl(address: string, secretAccessKey = DEFAULT_AWS_CREDENTIALS.secretAccessKey): Promise<string> {
  const url = new URL(`wss://${address}/mqtt`);
  const signer = new SignatureV4({ credentials: { ...DEFAULT_AWS_CREDENTIALS, secretAccessKey }, region: REGION, service: 'iotdevicegateway', sha256: Sha256 });
  const signed = await signer.presign(
    new HttpRequest({ method: 'GET', protocol: 'wss:', hostname: url.hostname, port: Number(url.port), path: url.pathname, headers: { host: url.host } }),
    { expiresIn: 300 },
  );
  return `${url.origin}${url.pathname}?${new URLSearchParams(signed.query as Record<string, string>).toString()}`;
}

/** A thing's agent on the AWS IoT Jobs MQTT API with mqtt.js, authenticated by a certificate Fleetlab issued. */
describe('AWS IoT Jobs over MQTT (mqtt.js)', () => {
  let host: TestHost;
  let iot: IoTClient;
  let ca: string;
  let port: number;
  const clients: MqttClient[] = [];
  const connect = async (credentials: DeviceCredentials, clientId: string) => {
    const client = await connectWithCertificate(port, ca, credentials, clientId);
    clients.push(client);
    return client;
  };

  const connectedDevices = async () => ((await (await host.call('GET', '/_fleetlab/connected-devices')).json()) as { value: { deviceId: string }[] }).value;

  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1, https: { source: 'local-ca' }, mqtt: { port: 0 } });
    ca = await (await host.call('GET', '/_fleetlab/ca.pem')).text();
    port = host.mqtt!.port;
    iot = tlsIotClient(host, ca);
    for (const thingName of ['valve-1', 'valve-2', 'valve-3', 'valve-4', 'valve-5', 'valve-6']) await iot.send(new CreateThingCommand({ thingName }));
  });
  afterAll(async () => {
    await Promise.allSettled(clients.map((client) => client.endAsync(true)));
    await host?.stop();
  });

  it('notifies the next job, which the agent gets, starts and finishes; the control plane sees it SUCCEEDED', async () => {
    const device = await connect(await issueCertificate(iot, 'valve-1'), 'valve-1');
    expect(await connectedDevices()).toContainEqual({ deviceId: 'valve-1', transport: 'tls', connectedAt: expect.any(String) });
    const received = inbox(device);
    await device.subscribeAsync([`${jobs('valve-1')}/notify-next`, `${jobs('valve-1')}/notify`], { qos: 1 });

    await iot.send(new CreateJobCommand({ jobId: 'firmware-71', targets: [thingArn('valve-1')], document: JSON.stringify(document) }));
    await expect.poll(() => received.get(`${jobs('valve-1')}/notify-next`)?.at(-1), { timeout: 10_000 }).toMatchObject({
      timestamp: expect.any(Number),
      execution: { jobId: 'firmware-71', thingName: 'valve-1', status: 'QUEUED', versionNumber: 1, executionNumber: 1, jobDocument: document },
    });
    await expect.poll(() => received.get(`${jobs('valve-1')}/notify`)?.at(-1)).toMatchObject({ jobs: { QUEUED: [{ jobId: 'firmware-71', versionNumber: 1 }] } });

    const pending = await jobsRequest(device, `${jobs('valve-1')}/get`);
    expect(pending.accepted).toBe(true);
    expect(pending.body).toMatchObject({ inProgressJobs: [], queuedJobs: [{ jobId: 'firmware-71', versionNumber: 1, executionNumber: 1, queuedAt: expect.any(Number) }] });

    const started = await jobsRequest(device, `${jobs('valve-1')}/start-next`, { statusDetails: { step: 'download' }, stepTimeoutInMinutes: 10 });
    expect(started.accepted).toBe(true);
    expect(started.body.execution).toMatchObject({ jobId: 'firmware-71', status: 'IN_PROGRESS', versionNumber: 2, statusDetails: { step: 'download' }, jobDocument: document });
    expect((started.body.execution as { approximateSecondsBeforeTimedOut: number }).approximateSecondsBeforeTimedOut).toBeGreaterThan(500);

    const next = await jobsRequest(device, `${jobs('valve-1')}/$next/get`);
    expect(next.body.execution).toMatchObject({ jobId: 'firmware-71', status: 'IN_PROGRESS', jobDocument: document });
    const described = await jobsRequest(device, `${jobs('valve-1')}/firmware-71/get`, { includeJobDocument: false });
    expect(described.body.execution).toMatchObject({ jobId: 'firmware-71', status: 'IN_PROGRESS', versionNumber: 2 });
    expect(described.body.execution).not.toHaveProperty('jobDocument');

    const stale = await jobsRequest(device, `${jobs('valve-1')}/firmware-71/update`, { status: 'SUCCEEDED', expectedVersion: 1 });
    expect(stale.accepted).toBe(false);
    expect(stale.body).toMatchObject({ code: 'VersionMismatch', executionState: { status: 'IN_PROGRESS', versionNumber: 2 } });

    const done = await jobsRequest(device, `${jobs('valve-1')}/firmware-71/update`, {
      status: 'SUCCEEDED',
      expectedVersion: 2,
      statusDetails: { step: 'done' },
      includeJobExecutionState: true,
      includeJobDocument: true,
    });
    expect(done).toMatchObject({ accepted: true, body: { executionState: { status: 'SUCCEEDED', versionNumber: 3, statusDetails: { step: 'done' } }, jobDocument: document } });
    const { execution } = await iot.send(new DescribeJobExecutionCommand({ jobId: 'firmware-71', thingName: 'valve-1' }));
    expect(execution).toMatchObject({ status: 'SUCCEEDED', versionNumber: 3, statusDetails: { detailsMap: { step: 'done' } } });

    // Nothing is pending any more: the next notification has no execution.
    await expect.poll(() => received.get(`${jobs('valve-1')}/notify-next`)?.at(-1)).not.toHaveProperty('execution');
    const again = await jobsRequest(device, `${jobs('valve-1')}/firmware-71/update`, { status: 'FAILED' });
    expect(again.body).toMatchObject({ code: 'InvalidStateTransition', executionState: { status: 'SUCCEEDED' } });
    const nothing = await jobsRequest(device, `${jobs('valve-1')}/start-next`);
    expect(nothing.accepted).toBe(true);
    expect(nothing.body).not.toHaveProperty('execution');
  });

  it('runs one job on simulated things and an MQTT thing to its end, counting both', async () => {
    const simulated = await createFleet(host, 'pipe', 20);
    const device = await connect(await issueCertificate(iot, 'valve-5'), 'valve-5');
    await iot.send(new CreateJobCommand({ jobId: 'mixed-5', targets: [...simulated, 'valve-5'].map(thingArn), document: JSON.stringify(document) }));
    await expect.poll(async () => (await iot.send(new DescribeJobCommand({ jobId: 'mixed-5' }))).job!.jobProcessDetails).toMatchObject({
      numberOfSucceededThings: 20,
      numberOfQueuedThings: 1,
    });
    const started = await jobsRequest(device, `${jobs('valve-5')}/start-next`);
    expect(started.body.execution).toMatchObject({ jobId: 'mixed-5', status: 'IN_PROGRESS' });
    const done = await jobsRequest(device, `${jobs('valve-5')}/mixed-5/update`, { status: 'SUCCEEDED', expectedVersion: 2 });
    expect(done.accepted).toBe(true);
    await expect.poll(async () => (await iot.send(new DescribeJobCommand({ jobId: 'mixed-5' }))).job).toMatchObject({
      status: 'COMPLETED',
      jobProcessDetails: { numberOfSucceededThings: 21, numberOfQueuedThings: 0, numberOfInProgressThings: 0 },
    });
  });

  it('times out a step the agent did not finish in time, and tells it there is nothing next', async () => {
    const device = await connect(await issueCertificate(iot, 'valve-6'), 'valve-6');
    const received = inbox(device);
    await device.subscribeAsync(`${jobs('valve-6')}/notify-next`, { qos: 1 });
    await iot.send(new CreateJobCommand({ jobId: 'slow-6', targets: [thingArn('valve-6')], document: JSON.stringify(document) }));
    await expect.poll(() => received.get(`${jobs('valve-6')}/notify-next`)?.at(-1)).toMatchObject({ execution: { jobId: 'slow-6' } });
    const started = await jobsRequest(device, `${jobs('valve-6')}/start-next`, { stepTimeoutInMinutes: 1 });
    expect(started.body.execution).toMatchObject({ jobId: 'slow-6', status: 'IN_PROGRESS' });
    await advanceClock(host, 2 * 60_000);
    await expect.poll(async () => (await iot.send(new DescribeJobExecutionCommand({ jobId: 'slow-6', thingName: 'valve-6' }))).execution?.status).toBe('TIMED_OUT');
    await expect.poll(() => received.get(`${jobs('valve-6')}/notify-next`)?.at(-1)).toEqual({ timestamp: expect.any(Number) });
    const late = await jobsRequest(device, `${jobs('valve-6')}/slow-6/update`, { status: 'SUCCEEDED' });
    expect(late.body).toMatchObject({ code: 'InvalidStateTransition', executionState: { status: 'TIMED_OUT' } });
  });

  it('notifies a cancel made through the control plane: the execution leaves the list and nothing is next', async () => {
    const device = await connect(await issueCertificate(iot, 'valve-4'), 'valve-4');
    const received = inbox(device);
    await device.subscribeAsync([`${jobs('valve-4')}/notify-next`, `${jobs('valve-4')}/notify`], { qos: 1 });
    await iot.send(new CreateJobCommand({ jobId: 'calibrate-4', targets: [thingArn('valve-4')], document: JSON.stringify(document) }));
    await expect.poll(() => received.get(`${jobs('valve-4')}/notify-next`)?.at(-1)).toMatchObject({ execution: { jobId: 'calibrate-4', status: 'QUEUED' } });
    await iot.send(new CancelJobCommand({ jobId: 'calibrate-4' }));
    await expect.poll(() => received.get(`${jobs('valve-4')}/notify`)?.at(-1)).toEqual({ timestamp: expect.any(Number), jobs: {} });
    await expect.poll(() => received.get(`${jobs('valve-4')}/notify-next`)?.at(-1)).toEqual({ timestamp: expect.any(Number) });
  });

  it('rejects malformed requests and unknown jobs in the jobs API’s own terms', async () => {
    const device = await connect(await issueCertificate(iot, 'valve-2'), 'valve-2');
    expect((await jobsRequest(device, `${jobs('valve-2')}/no-such-job/get`)).body).toMatchObject({ code: 'ResourceNotFound' });
    expect((await jobsRequest(device, `${jobs('valve-2')}/no-such-job/update`, { status: 'SUCCEEDED', statusDetails: { step: 3 } })).body).toMatchObject({ code: 'InvalidRequest' });
    await device.subscribeAsync(`${jobs('valve-2')}/get/rejected`, { qos: 1 });
    const rejected = new Promise<Record<string, unknown>>((resolve) => device.once('message', (_topic, payload) => resolve(JSON.parse(payload.toString()) as Record<string, unknown>)));
    await device.publishAsync(`${jobs('valve-2')}/get`, 'not json', { qos: 1 });
    expect(await rejected).toMatchObject({ code: 'InvalidJson' });
  });

  it('keeps a certificate to the topics of its own things', async () => {
    const device = await connect(await issueCertificate(iot, 'valve-3'), 'valve-3');
    // SUBACK 0x80 for another thing's topics and for topics outside the jobs API; the connection stays.
    await expect(device.subscribeAsync(`${jobs('valve-1')}/notify-next`, { qos: 1 })).rejects.toThrow(/Subscribe error/);
    await expect(device.subscribeAsync('devices/#', { qos: 1 })).rejects.toThrow(/Subscribe error/);
    expect((await device.subscribeAsync(`${jobs('valve-3')}/notify-next`, { qos: 1 })).map((grant) => grant.qos)).toEqual([1]);
    expect(device.connected).toBe(true);
    // A publish to another thing's jobs topic ends the connection, as AWS IoT ends one for a denied publish.
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
    device.publish(`${jobs('valve-1')}/get`, '{}');
    await closed;
  });

  it('refuses a certificate that is not ACTIVE, and one it did not issue', async () => {
    const inactive = await issueCertificate(iot, 'valve-3', false);
    await expect(connectWithCertificate(port, ca, inactive, 'valve-3')).rejects.toMatchObject({ code: 5 });
    const active = await issueCertificate(iot, 'valve-3');
    await iot.send(new UpdateCertificateCommand({ certificateId: active.certificateId, newStatus: 'INACTIVE' }));
    await expect(connectWithCertificate(port, ca, active, 'valve-3')).rejects.toMatchObject({ code: 5 });
    // Deactivated while connected: the connection ends.
    const revoked = await issueCertificate(iot, 'valve-3');
    const device = await connect(revoked, 'valve-3');
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
    expect((await connectedDevices()).map((entry) => entry.deviceId)).toContain('valve-3');
    await iot.send(new UpdateCertificateCommand({ certificateId: revoked.certificateId, newStatus: 'REVOKED' }));
    await closed;
    await expect.poll(async () => (await connectedDevices()).map((entry) => entry.deviceId)).not.toContain('valve-3');
    // A certificate and key from the same CA that the account never registered (the server's own).
    const server = await (await import('node:fs/promises')).readFile(`${host.dataDir}/tls/server.pem`, 'utf8');
    const serverKey = await (await import('node:fs/promises')).readFile(`${host.dataDir}/tls/server-key.pem`, 'utf8');
    await expect(connectWithCertificate(port, ca, { ...active, certificatePem: server, privateKey: serverKey }, 'valve-3')).rejects.toMatchObject({ code: 5 });
  });

  it('connects over WebSockets with a SigV4-signed URL, and refuses a URL signed with the wrong secret', async () => {
    const address = new URL(host.url).host;
    const device = await connected(mqtt.connect(await signedWebSocketUrl(address), { ca, wsOptions: { ca }, clientId: 'valve-2', protocolVersion: 4, reconnectPeriod: 0 }));
    clients.push(device);
    const pending = await jobsRequest(device, `${jobs('valve-2')}/get`);
    expect(pending).toMatchObject({ accepted: true, body: { inProgressJobs: [], queuedJobs: [] } });
    expect(await connectedDevices()).toContainEqual({ deviceId: 'valve-2', transport: 'websocket', connectedAt: expect.any(String) });
    await expect(connected(mqtt.connect(await signedWebSocketUrl(address, 'not-the-secret'), { ca, wsOptions: { ca }, clientId: 'x', protocolVersion: 4, reconnectPeriod: 0 }))).rejects.toMatchObject({
      code: 5,
    });
  });
});
