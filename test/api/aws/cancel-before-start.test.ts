import { CancelJobCommand, CancelJobExecutionCommand, CreateJobCommand, CreateThingCommand, DescribeJobExecutionCommand, type IoTClient } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../helpers/poll.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { createFleet, iotClient, thingArn, useVirtualTime } from './aws-client.js';

const executionOf = async (iot: IoTClient, jobId: string, thingName: string) =>
  (await iot.send(new DescribeJobExecutionCommand({ jobId, thingName }))).execution!;

describe('AWS IoT CancelJobExecution right after CreateJob', () => {
  let host: TestHost;
  let iot: IoTClient;

  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    await useVirtualTime(host);
    await createFleet(host, 'pump', 1, 'pump-type');
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
      await pollUntil(async () => (await executionOf(iot, jobId, 'pump-1')).status === 'SUCCEEDED', `pump-1 succeeded in ${jobId}`);
      expect(await executionOf(iot, jobId, 'agent-1')).toMatchObject({ status: 'CANCELED', versionNumber: 2 });
      // A continuous job runs until it is canceled; canceling it frees its slot for the next attempt.
      await iot.send(new CancelJobCommand({ jobId }));
    }
  });
});
