import {
  AddThingToThingGroupCommand,
  CancelJobCommand,
  CancelJobExecutionCommand,
  CreateJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DescribeJobExecutionCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { createFleet, iotClient, thingArn, thingGroupArn, useVirtualTime } from './aws-client.js';

const executionOf = async (iot: IoTClient, jobId: string, thingName: string) =>
  (await iot.send(new DescribeJobExecutionCommand({ jobId, thingName }))).execution!;

describe('AWS IoT changes to a job right after CreateJob, before its run starts', () => {
  let host: TestHost;
  let iot: IoTClient;

  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    await useVirtualTime(host);
    await createFleet(host, 'pump', 1, 'pump-type');
    await createFleet(host, 'fan', 100, 'fan-type');
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'fans' }));
    for (let n = 1; n <= 50; n++) await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'fans', thingName: `fan-${n}` }));
    await iot.send(new CreateThingCommand({ thingName: 'agent-1', attributePayload: { attributes: { 'fleetlab:external': 'true' } } }));
  });
  afterAll(() => host.stop());

  it('keeps the cancel of a queued execution once the job starts running, every one of 100 times', async () => {
    for (let attempt = 1; attempt <= 100; attempt++) {
      const jobId = `cancel-early-${attempt}`;
      await iot.send(
        new CreateJobCommand({
          jobId,
          targets: [thingArn('agent-1'), thingArn('pump-1')],
          document: '{"operation":"flush"}',
          targetSelection: 'CONTINUOUS',
          jobExecutionsRolloutConfig: { maximumPerMinute: 10 },
        }),
      );
      await iot.send(new CancelJobExecutionCommand({ jobId, thingName: 'agent-1' }));
      expect(await executionOf(iot, jobId, 'agent-1')).toMatchObject({ status: 'CANCELED', versionNumber: 2 });
      // The simulated thing's success shows that the run started, after the cancel.
      await expect.poll(async () => (await executionOf(iot, jobId, 'pump-1')).status, { message: `pump-1 succeeded in ${jobId}` }).toBe('SUCCEEDED');
      expect(await executionOf(iot, jobId, 'agent-1')).toMatchObject({ status: 'CANCELED', versionNumber: 2 });
      // A continuous job runs until it is canceled; canceling it frees its slot for the next attempt.
      await iot.send(new CancelJobCommand({ jobId }));
    }
  });

  it('gives a thing that joins the target group right after CreateJob its execution, every one of 50 times', async () => {
    for (let attempt = 1; attempt <= 50; attempt++) {
      const jobId = `follow-early-${attempt}`;
      const joining = `fan-${50 + attempt}`;
      await iot.send(new CreateJobCommand({ jobId, targets: [thingGroupArn('fans')], document: '{"operation":"spin"}', targetSelection: 'CONTINUOUS' }));
      await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'fans', thingName: joining }));
      await expect
        .poll(async () => (await iot.send(new DescribeJobExecutionCommand({ jobId, thingName: joining })).catch(() => undefined))?.execution?.status, {
          message: `${joining} succeeded in ${jobId}`,
        })
        .toBe('SUCCEEDED');
      await iot.send(new CancelJobCommand({ jobId }));
    }
  });
});
