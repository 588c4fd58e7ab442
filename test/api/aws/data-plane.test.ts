import { CreateJobCommand, CreateThingCommand, DescribeJobCommand, DescribeJobExecutionCommand, ListJobsCommand, type IoTClient } from '@aws-sdk/client-iot';
import {
  DescribeJobExecutionCommand as AgentDescribeCommand,
  GetPendingJobExecutionsCommand,
  StartNextPendingJobExecutionCommand,
  UpdateJobExecutionCommand,
  type IoTJobsDataPlaneClient,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { advanceClock, createFleet, describeUntilDone, iotClient, jobsDataClient, rejectionOf, signedFetch, thingArn } from './aws-client.js';

const document = JSON.stringify({ operation: 'install', url: 'https://example.com/fw-7.bin' });

describe('AWS IoT Jobs data plane: an external thing driven by its own agent', () => {
  let host: TestHost;
  let iot: IoTClient;
  let agent: IoTJobsDataPlaneClient;

  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    agent = jobsDataClient(host);
    await createFleet(host, 'sim', 2, 'sensor-type');
    // One external thing made through the registry API, one fleet device switched to external through the control API.
    await iot.send(new CreateThingCommand({ thingName: 'gateway-1', thingTypeName: 'sensor-type', attributePayload: { attributes: { 'fleetlab:external': 'true' } } }));
    const marked = await host.call('PUT', '/_fleetlab/devices/sim-2/behavior', { external: true });
    expect(((await marked.json()) as { external: boolean }).external).toBe(true);
  });
  afterAll(() => host.stop());

  it('queues the execution for the agent, which starts it, reports progress and success; the job completes', async () => {
    await iot.send(new CreateJobCommand({ jobId: 'install-7', targets: [thingArn('gateway-1'), thingArn('sim-1')], document }));
    await expect.poll(async () => (await agent.send(new GetPendingJobExecutionsCommand({ thingName: 'gateway-1' }))).queuedJobs?.map((job) => job.jobId)).toEqual(['install-7']);
    const pending = await agent.send(new GetPendingJobExecutionsCommand({ thingName: 'gateway-1' }));
    expect(pending.inProgressJobs).toEqual([]);
    expect(pending.queuedJobs![0]).toMatchObject({ versionNumber: 1, executionNumber: 1 });
    expect(Number.isInteger(pending.queuedJobs![0]!.queuedAt)).toBe(true);
    expect(Math.abs(pending.queuedJobs![0]!.queuedAt! - Date.now() / 1000)).toBeLessThan(120);

    // The simulated thing finishes on its own; the external one waits for its agent.
    await expect.poll(async () => (await iot.send(new DescribeJobCommand({ jobId: 'install-7' }))).job!.jobProcessDetails).toMatchObject({
      numberOfSucceededThings: 1,
      numberOfQueuedThings: 1,
    });

    const started = await agent.send(new StartNextPendingJobExecutionCommand({ thingName: 'gateway-1', statusDetails: { step: 'download' } }));
    expect(started.execution).toMatchObject({ jobId: 'install-7', thingName: 'gateway-1', status: 'IN_PROGRESS', versionNumber: 2, statusDetails: { step: 'download' }, jobDocument: document });
    const control = await iot.send(new DescribeJobExecutionCommand({ jobId: 'install-7', thingName: 'gateway-1' }));
    expect(control.execution).toMatchObject({ status: 'IN_PROGRESS', versionNumber: 2, statusDetails: { detailsMap: { step: 'download' } } });
    expect(control.execution!.startedAt).toBeInstanceOf(Date);
    const next = await agent.send(new AgentDescribeCommand({ thingName: 'gateway-1', jobId: '$next', includeJobDocument: true }));
    expect(next.execution).toMatchObject({ jobId: 'install-7', status: 'IN_PROGRESS', jobDocument: document });

    const stale = await rejectionOf(agent.send(new UpdateJobExecutionCommand({ thingName: 'gateway-1', jobId: 'install-7', status: 'SUCCEEDED', expectedVersion: 1 })));
    expect(stale.name).toBe('VersionConflictException');
    expect(stale.$metadata.httpStatusCode).toBe(409);

    const done = await agent.send(
      new UpdateJobExecutionCommand({ thingName: 'gateway-1', jobId: 'install-7', status: 'SUCCEEDED', expectedVersion: 2, statusDetails: { step: 'done' }, includeJobExecutionState: true, includeJobDocument: true }),
    );
    expect(done).toMatchObject({ executionState: { status: 'SUCCEEDED', versionNumber: 3, statusDetails: { step: 'done' } }, jobDocument: document });
    const { job } = await describeUntilDone(iot, 'install-7');
    expect(job).toMatchObject({ status: 'COMPLETED', jobProcessDetails: { numberOfSucceededThings: 2, numberOfQueuedThings: 0, numberOfInProgressThings: 0 } });

    const again = await rejectionOf(agent.send(new UpdateJobExecutionCommand({ thingName: 'gateway-1', jobId: 'install-7', status: 'FAILED' })));
    expect(again.name).toBe('InvalidStateTransitionException');
    expect(again.$metadata.httpStatusCode).toBe(409);
    expect((await agent.send(new GetPendingJobExecutionsCommand({ thingName: 'gateway-1' }))).queuedJobs).toEqual([]);
  });

  it('times out an execution whose step timer runs out, and counts it as TIMED_OUT', async () => {
    await iot.send(new CreateJobCommand({ jobId: 'install-8', targets: [thingArn('sim-2')], document }));
    await expect.poll(async () => (await agent.send(new GetPendingJobExecutionsCommand({ thingName: 'sim-2' }))).queuedJobs?.length).toBe(1);
    const started = await agent.send(new StartNextPendingJobExecutionCommand({ thingName: 'sim-2', stepTimeoutInMinutes: 2 }));
    expect(started.execution).toMatchObject({ jobId: 'install-8', status: 'IN_PROGRESS' });
    expect(started.execution!.approximateSecondsBeforeTimedOut).toBeGreaterThan(100);
    expect(started.execution!.approximateSecondsBeforeTimedOut).toBeLessThanOrEqual(120);

    await advanceClock(host, 121_000);
    const { job } = await describeUntilDone(iot, 'install-8');
    expect(job).toMatchObject({ status: 'COMPLETED', jobProcessDetails: { numberOfTimedOutThings: 1 } });
    const execution = await agent.send(new AgentDescribeCommand({ thingName: 'sim-2', jobId: 'install-8' }));
    expect(execution.execution).toMatchObject({ status: 'TIMED_OUT', versionNumber: 3 });
    expect(execution.execution!.jobDocument).toBeUndefined();
  });

  it('answers agents of simulated things, unknown things and statuses only the service sets with clear 4xx errors', async () => {
    await iot.send(new CreateJobCommand({ jobId: 'install-9', targets: [thingArn('sim-1'), thingArn('gateway-1')], document }));
    await expect.poll(async () => (await agent.send(new GetPendingJobExecutionsCommand({ thingName: 'gateway-1' }))).queuedJobs?.length).toBe(1);

    const simulated = await rejectionOf(agent.send(new StartNextPendingJobExecutionCommand({ thingName: 'sim-1' })));
    expect(simulated.name).toBe('InvalidRequestException');
    expect(simulated.message).toContain('simulated');
    const unknown = await rejectionOf(agent.send(new GetPendingJobExecutionsCommand({ thingName: 'nobody' })));
    expect(unknown.name).toBe('ResourceNotFoundException');
    const serviceStatus = await rejectionOf(agent.send(new UpdateJobExecutionCommand({ thingName: 'gateway-1', jobId: 'install-9', status: 'CANCELED' })));
    expect(serviceStatus.name).toBe('InvalidRequestException');
    const badStep = await rejectionOf(agent.send(new UpdateJobExecutionCommand({ thingName: 'gateway-1', jobId: 'install-9', status: 'IN_PROGRESS', stepTimeoutInMinutes: 0 })));
    expect(badStep.name).toBe('InvalidRequestException');
    const rejected = await agent.send(new UpdateJobExecutionCommand({ thingName: 'gateway-1', jobId: 'install-9', status: 'REJECTED', includeJobExecutionState: true }));
    expect(rejected.executionState).toMatchObject({ status: 'REJECTED' });
    expect((await describeUntilDone(iot, 'install-9')).job!.jobProcessDetails).toMatchObject({ numberOfRejectedThings: 1, numberOfSucceededThings: 1 });
  });

  it('keeps AWS jobs out of IoT Central job listings and verifies the data plane signature with its own service name', async () => {
    const central = (await (await host.call('GET', '/api/jobs?api-version=2022-07-31')).json()) as { value: { id: string }[] };
    expect(central.value.map((job) => job.id)).not.toContain('install-7');
    expect((await host.call('GET', '/api/jobs/install-7?api-version=2022-07-31')).status).toBe(404);
    expect((await iot.send(new ListJobsCommand({}))).jobs!.map((job) => job.jobId)).toContain('install-7');

    const signed = await signedFetch(host, 'GET', '/things/gateway-1/jobs', { prefix: '/aws-jobs-data', service: 'iot-jobs-data' });
    expect(signed.status).toBe(200);
    // Signed for the control plane's service name ("iot"), not "iot-jobs-data".
    const wrongService = await signedFetch(host, 'GET', '/things/gateway-1/jobs', { prefix: '/aws-jobs-data' });
    expect(wrongService.status).toBe(403);
    expect(wrongService.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    const res = await fetch(`${host.url}/aws-jobs-data/things/gateway-1/jobs`);
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
});
