import {
  AddThingToThingGroupCommand,
  AssociateTargetsWithJobCommand,
  CancelJobCommand,
  CreateJobCommand,
  CreateThingGroupCommand,
  DescribeJobCommand,
  DescribeJobExecutionCommand,
  ListJobsCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { advanceClock, createFleet, describeUntilDone, iotClient, rejectionOf, simulatedNow, thingArn, thingGroupArn, useVirtualTime } from './aws-client.js';

const document = '{"operation":"configure"}';
const jobOf = async (iot: IoTClient, jobId: string) => (await iot.send(new DescribeJobCommand({ jobId }))).job!;
/** A scheduling time as AWS IoT takes it: UTC, to the minute. */
const minute = (at: number) => new Date(at).toISOString().slice(0, 16);

describe('AWS IoT continuous and scheduled jobs', () => {
  let host: TestHost;
  let iot: IoTClient;
  let things: string[];

  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    // In real time a thing joining a continuous job waits for the rollout's next minute; virtual time skips the wait.
    await useVirtualTime(host);
    things = await createFleet(host, 'valve', 6, 'valve-type');
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'valves' }));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'east-valves', parentGroupName: 'valves' }));
    for (const thingName of things.slice(0, 2)) await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'valves', thingName }));
  });
  afterAll(() => host.stop());

  it('gives things that join the target group later an execution, and never completes by itself', async () => {
    await iot.send(new CreateJobCommand({ jobId: 'follow-valves', targets: [thingGroupArn('valves')], document, targetSelection: 'CONTINUOUS' }));
    await expect.poll(async () => (await jobOf(iot, 'follow-valves')).jobProcessDetails!.numberOfSucceededThings).toBe(2);
    expect(await jobOf(iot, 'follow-valves')).toMatchObject({ status: 'IN_PROGRESS', targetSelection: 'CONTINUOUS' });

    // Directly, and through a child group.
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'valves', thingName: 'valve-3' }));
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'east-valves', thingName: 'valve-4' }));
    await expect.poll(async () => (await jobOf(iot, 'follow-valves')).jobProcessDetails!.numberOfSucceededThings).toBe(4);
    const execution = await iot.send(new DescribeJobExecutionCommand({ jobId: 'follow-valves', thingName: 'valve-4' }));
    expect(execution.execution!.status).toBe('SUCCEEDED');

    const associated = await iot.send(new AssociateTargetsWithJobCommand({ jobId: 'follow-valves', targets: [thingArn('valve-5')], comment: 'one more' }));
    expect(associated).toMatchObject({ jobId: 'follow-valves' });
    await expect.poll(async () => (await jobOf(iot, 'follow-valves')).jobProcessDetails!.numberOfSucceededThings).toBe(5);
    expect((await jobOf(iot, 'follow-valves')).targets).toEqual([thingGroupArn('valves'), thingArn('valve-5')]);

    await iot.send(new CancelJobCommand({ jobId: 'follow-valves' }));
    expect(await jobOf(iot, 'follow-valves')).toMatchObject({ status: 'CANCELED', jobProcessDetails: { numberOfSucceededThings: 5 } });
    // A canceled continuous job follows its group no longer.
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'valves', thingName: 'valve-6' }));
    expect((await rejectionOf(iot.send(new DescribeJobExecutionCommand({ jobId: 'follow-valves', thingName: 'valve-6' })))).name).toBe('ResourceNotFoundException');
  });

  it('refuses new targets for a snapshot job', async () => {
    await iot.send(new CreateJobCommand({ jobId: 'snapshot-valves', targets: [thingArn('valve-1')], document }));
    const error = await rejectionOf(iot.send(new AssociateTargetsWithJobCommand({ jobId: 'snapshot-valves', targets: [thingArn('valve-2')] })));
    expect(error.name).toBe('InvalidRequestException');
    expect(error.message).toContain('continuous');
  });

  it('keeps a scheduled job SCHEDULED until its startTime, then rolls it out', async () => {
    const startTime = minute((await simulatedNow(host)) + 60 * 60_000);
    await iot.send(new CreateJobCommand({ jobId: 'night-rollout', targets: [thingArn('valve-1'), thingArn('valve-2')], document, schedulingConfig: { startTime } }));
    expect(await jobOf(iot, 'night-rollout')).toMatchObject({ status: 'SCHEDULED', jobProcessDetails: { numberOfQueuedThings: 2 } });
    expect((await iot.send(new ListJobsCommand({ status: 'SCHEDULED' }))).jobs!.map((job) => job.jobId)).toEqual(['night-rollout']);

    await advanceClock(host, 61 * 60_000);
    const { job } = await describeUntilDone(iot, 'night-rollout');
    expect(job).toMatchObject({ status: 'COMPLETED', jobProcessDetails: { numberOfSucceededThings: 2 } });
  });

  it('cancels a scheduled job at its endTime when endBehavior says CANCEL: things not yet notified are CANCELED', async () => {
    const now = await simulatedNow(host);
    const start = Math.ceil((now + 30 * 60_000) / 60_000) * 60_000;
    // One thing a minute from startTime; endTime comes two minutes later, so two or three of the five were notified.
    await iot.send(
      new CreateJobCommand({
        jobId: 'bounded-rollout',
        targets: ['valve-1', 'valve-2', 'valve-3', 'valve-4', 'valve-5'].map(thingArn),
        document,
        jobExecutionsRolloutConfig: { maximumPerMinute: 1 },
        schedulingConfig: { startTime: minute(start), endTime: minute(start + 2 * 60_000), endBehavior: 'CANCEL' },
      }),
    );
    expect((await jobOf(iot, 'bounded-rollout')).schedulingConfig).toEqual({ startTime: minute(start), endTime: minute(start + 2 * 60_000), endBehavior: 'CANCEL' });
    await advanceClock(host, start - now + 1000);
    const { job } = await describeUntilDone(iot, 'bounded-rollout');
    expect(job!.status).toBe('CANCELED');
    const { numberOfSucceededThings: succeeded, numberOfCanceledThings: canceled } = job!.jobProcessDetails!;
    expect(succeeded).toBeGreaterThanOrEqual(2);
    expect(succeeded).toBeLessThanOrEqual(3);
    expect(canceled).toBe(5 - succeeded!);

    const bad = await rejectionOf(
      iot.send(new CreateJobCommand({ jobId: 'bad-schedule', targets: [thingArn('valve-1')], document, schedulingConfig: { startTime: 'tomorrow' } })),
    );
    expect(bad.name).toBe('InvalidRequestException');
    expect(bad.message).toContain('YYYY-MM-DDTHH:MM');
  });

  it('accepts an endBehavior without endTime, which then does not apply (as AWS documents)', async () => {
    await iot.send(new CreateJobCommand({ jobId: 'no-end', targets: [thingArn('valve-6')], document, schedulingConfig: { endBehavior: 'FORCE_CANCEL' } }));
    expect((await jobOf(iot, 'no-end')).schedulingConfig).toEqual({ endBehavior: 'FORCE_CANCEL' });
    expect((await describeUntilDone(iot, 'no-end')).job).toMatchObject({ status: 'COMPLETED', jobProcessDetails: { numberOfSucceededThings: 1 } });
  });
});
