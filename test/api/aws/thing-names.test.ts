import {
  AddThingToThingGroupCommand,
  CreateJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DescribeJobExecutionCommand,
  DescribeThingCommand,
  ListJobExecutionsForThingCommand,
  ListThingsInThingGroupCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { GetPendingJobExecutionsCommand, StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand, type IoTJobsDataPlaneClient } from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { describeUntilDone, iotClient, jobsDataClient, rejectionOf, thingArn, thingGroupArn } from './aws-client.js';

const EXTERNAL = { attributes: { 'fleetlab:external': 'true' } };

describe('AWS IoT thing names with "_" and ":"', () => {
  let host: TestHost;
  let iot: IoTClient;
  let agent: IoTJobsDataPlaneClient;

  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    agent = jobsDataClient(host);
  });
  afterAll(() => host.stop());

  it('creates, describes and groups things named as AWS allows', async () => {
    await iot.send(new CreateThingCommand({ thingName: 'mything_0' }));
    await iot.send(new CreateThingCommand({ thingName: 'plant:line_1:agent', attributePayload: EXTERNAL }));
    expect(await iot.send(new DescribeThingCommand({ thingName: 'plant:line_1:agent' }))).toMatchObject({ thingName: 'plant:line_1:agent', thingArn: thingArn('plant:line_1:agent') });
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'line_1:things' }));
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'line_1:things', thingName: 'mything_0' }));
    await iot.send(new AddThingToThingGroupCommand({ thingGroupArn: thingGroupArn('line_1:things'), thingArn: thingArn('plant:line_1:agent') }));
    expect((await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'line_1:things' }))).things).toEqual(['mything_0', 'plant:line_1:agent']);
    const tooLong = await rejectionOf(iot.send(new CreateThingCommand({ thingName: 'a'.repeat(129) })));
    expect(tooLong.name).toBe('InvalidRequestException');
    expect(tooLong.message).toContain('thingName');
  });

  it('runs a job on them, the simulated one by itself and the external one through the data plane', async () => {
    await iot.send(new CreateJobCommand({ jobId: 'names-job', targets: [thingGroupArn('line_1:things')], document: '{"operation":"sync"}' }));
    await expect.poll(async () => (await agent.send(new GetPendingJobExecutionsCommand({ thingName: 'plant:line_1:agent' }))).queuedJobs?.length).toBe(1);
    const started = await agent.send(new StartNextPendingJobExecutionCommand({ thingName: 'plant:line_1:agent' }));
    expect(started.execution).toMatchObject({ jobId: 'names-job', thingName: 'plant:line_1:agent', status: 'IN_PROGRESS' });
    await agent.send(new UpdateJobExecutionCommand({ thingName: 'plant:line_1:agent', jobId: 'names-job', status: 'SUCCEEDED' }));
    expect((await describeUntilDone(iot, 'names-job')).job).toMatchObject({ status: 'COMPLETED', jobProcessDetails: { numberOfSucceededThings: 2 } });

    const simulated = (await iot.send(new DescribeJobExecutionCommand({ jobId: 'names-job', thingName: 'mything_0' }))).execution!;
    expect(simulated).toMatchObject({ status: 'SUCCEEDED', thingArn: thingArn('mything_0'), statusDetails: {} });
    expect(simulated.startedAt!.getTime()).toBeGreaterThanOrEqual(simulated.queuedAt!.getTime());
    const forThing = await iot.send(new ListJobExecutionsForThingCommand({ thingName: 'plant:line_1:agent' }));
    expect(forThing.executionSummaries!.map((summary) => [summary.jobId, summary.jobExecutionSummary!.status])).toEqual([['names-job', 'SUCCEEDED']]);
  });

  it('lists such a thing as an IoT Central device, which IoT Central itself would not create', async () => {
    const device = await host.call('GET', `/api/devices/${encodeURIComponent('mything_0')}?api-version=2022-07-31`);
    expect(await device.json()).toMatchObject({ id: 'mything_0', simulated: true });
    const created = await host.call('PUT', '/api/devices/other_thing?api-version=2022-07-31', { displayName: 'x' });
    expect(created.status).toBe(422);
    expect(((await created.json()) as { error: { message: string } }).error.message).toContain('letters, digits and hyphens');
  });

  it('exports and imports a snapshot holding such things', async () => {
    const snapshot = await (await host.call('GET', '/_fleetlab/snapshot')).json();
    expect((await host.call('PUT', '/_fleetlab/snapshot', snapshot)).status).toBe(204);
    expect((await iot.send(new DescribeThingCommand({ thingName: 'plant:line_1:agent' }))).attributes).toEqual(EXTERNAL.attributes);
  });
});
