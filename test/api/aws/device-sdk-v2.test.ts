import { CreateJobCommand, CreateThingCommand, DescribeJobExecutionCommand, type IoTClient } from '@aws-sdk/client-iot';
import type { iotjobs as IotJobs, mqtt as Mqtt } from 'aws-iot-device-sdk-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AWS_CREDENTIALS } from '../../../electron/api/aws/credentials.js';
import { issueCertificate, REGION, tlsIotClient } from '../../helpers/aws-device.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { thingArn } from './aws-client.js';

// The SDK rests on aws-crt's native module: where it cannot load, the tests say so and are skipped.
const sdk = await import('aws-iot-device-sdk-v2').catch((error: unknown) => {
  console.warn(`AWS IoT Device SDK v2 tests skipped: aws-crt's native module does not load here (${(error as Error).message})`);
  return undefined;
});

/** The first answer a jobs subscription delivers, or its error. */
function nextAnswer<T>(): { handler: (error?: IotJobs.IotJobsError, response?: T) => void; answer: Promise<T> } {
  let handler!: (error?: IotJobs.IotJobsError, response?: T) => void;
  const answer = new Promise<T>((resolve, reject) => {
    handler = (error, response) => (error ? reject(error) : resolve(response!));
  });
  return { handler, answer };
}

/** A device built with AWS's own IoT Device SDK v2 (native aws-crt), taking a job and finishing it over MQTT. */
describe.skipIf(!sdk)('AWS IoT Device SDK v2 on the jobs MQTT API', () => {
  // Collected even when skipped: nothing is read from the SDK until a test runs.
  const { auth, iot, iotjobs, mqtt } = sdk ?? ({} as NonNullable<typeof sdk>);
  let host: TestHost;
  let iotApi: IoTClient;
  let ca: string;
  const connections: Mqtt.MqttClientConnection[] = [];

  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1, https: { source: 'local-ca' }, mqtt: { port: 0 } });
    ca = await (await host.call('GET', '/_fleetlab/ca.pem')).text();
    iotApi = tlsIotClient(host, ca);
  });
  afterAll(async () => {
    await Promise.allSettled(connections.map((connection) => connection.disconnect()));
    await host?.stop();
  });

  /** start-next, then update to SUCCEEDED with the version start-next answered, through the SDK's IotJobsClient. */
  async function runNextJob(connection: Mqtt.MqttClientConnection, thingName: string): Promise<void> {
    const jobs = new iotjobs.IotJobsClient(connection);
    const started = nextAnswer<IotJobs.model.StartNextJobExecutionResponse>();
    await jobs.subscribeToStartNextPendingJobExecutionAccepted({ thingName }, mqtt.QoS.AtLeastOnce, started.handler);
    await jobs.publishStartNextPendingJobExecution({ thingName, statusDetails: { step: 'flashing' } }, mqtt.QoS.AtLeastOnce);
    const { execution } = await started.answer;
    expect(execution).toMatchObject({ thingName, status: iotjobs.model.JobStatus.IN_PROGRESS, versionNumber: 2, jobDocument: { operation: 'reboot' } });

    const jobId = execution!.jobId!;
    const updated = nextAnswer<IotJobs.model.UpdateJobExecutionResponse>();
    await jobs.subscribeToUpdateJobExecutionAccepted({ thingName, jobId }, mqtt.QoS.AtLeastOnce, updated.handler);
    await jobs.publishUpdateJobExecution(
      { thingName, jobId, status: iotjobs.model.JobStatus.SUCCEEDED, expectedVersion: execution!.versionNumber!, includeJobExecutionState: true },
      mqtt.QoS.AtLeastOnce,
    );
    expect((await updated.answer).executionState).toMatchObject({ status: iotjobs.model.JobStatus.SUCCEEDED, versionNumber: 3 });
    const described = await iotApi.send(new DescribeJobExecutionCommand({ jobId, thingName }));
    expect(described.execution!.status).toBe('SUCCEEDED');
  }

  async function queueJob(thingName: string, jobId: string): Promise<void> {
    await iotApi.send(new CreateJobCommand({ jobId, targets: [thingArn(thingName)], document: JSON.stringify({ operation: 'reboot' }) }));
    // Wait until the rollout released the execution to the thing (it is QUEUED for its agent).
    await expect.poll(async () => (await iotApi.send(new DescribeJobExecutionCommand({ jobId, thingName }))).execution?.status).toBe('QUEUED');
  }

  it('over MQTT/TLS with a certificate from CreateKeysAndCertificate', async () => {
    await iotApi.send(new CreateThingCommand({ thingName: 'crt-device-1' }));
    const credentials = await issueCertificate(iotApi, 'crt-device-1');
    await queueJob('crt-device-1', 'reboot-tls');
    const config = iot.AwsIotMqttConnectionConfigBuilder.new_mtls_builder(credentials.certificatePem, credentials.privateKey)
      .with_certificate_authority(ca)
      .with_endpoint('localhost')
      .with_port(host.mqtt!.port)
      .with_client_id('crt-device-1')
      .with_clean_session(true)
      .build();
    const connection = new mqtt.MqttClient().new_connection(config);
    connections.push(connection);
    await connection.connect();
    await runNextJob(connection, 'crt-device-1');
  });

  it('over MQTT/WebSockets on the HTTPS port, signed by the SDK with SigV4', async () => {
    await iotApi.send(new CreateThingCommand({ thingName: 'crt-device-2', attributePayload: { attributes: { 'fleetlab:external': 'true' } } }));
    await queueJob('crt-device-2', 'reboot-wss');
    const config = iot.AwsIotMqttConnectionConfigBuilder.new_with_websockets({
      region: REGION,
      credentials_provider: auth.AwsCredentialsProvider.newStatic(DEFAULT_AWS_CREDENTIALS.accessKeyId, DEFAULT_AWS_CREDENTIALS.secretAccessKey),
    })
      .with_certificate_authority(ca)
      .with_endpoint('localhost')
      .with_port(Number(new URL(host.url).port))
      .with_client_id('crt-device-2')
      .with_clean_session(true)
      .build();
    const connection = new mqtt.MqttClient().new_connection(config);
    connections.push(connection);
    await connection.connect();
    await runNextJob(connection, 'crt-device-2');
  });
});
