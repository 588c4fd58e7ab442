import {
  AddThingToThingGroupCommand,
  CreateJobCommand,
  CreateThingGroupCommand,
  DescribeJobExecutionCommand,
  GetJobDocumentCommand,
  ListJobExecutionsForJobCommand,
  ListJobExecutionsForThingCommand,
  ListJobsCommand,
  type IoTClient,
  type JobExecutionSummaryForJob,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { createFleet, describeUntilDone, iotClient, rejectionOf, thingArn, thingGroupArn } from './aws-client.js';

describe('AWS IoT jobs on a thing group of 50 simulated things', () => {
  let host: TestHost;
  let iot: IoTClient;
  let things: string[];
  const document = JSON.stringify({ operation: 'firmware-update', version: '2.4.1' });

  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    things = await createFleet(host, 'pump', 50, 'pump-type');
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'pumps' }));
    for (const thingName of things) await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'pumps', thingName }));
  });
  afterAll(() => host.stop());

  it('runs a job document on every thing of the group: COMPLETED with 50 SUCCEEDED executions, paged with nextToken', async () => {
    const created = await iot.send(
      new CreateJobCommand({ jobId: 'update-pumps', targets: [thingGroupArn('pumps')], document, description: 'Pump firmware', tags: [{ Key: 'team', Value: 'ops' }] }),
    );
    expect(created).toMatchObject({ jobId: 'update-pumps', jobArn: 'arn:aws:iot:us-east-1:123456789012:job/update-pumps', description: 'Pump firmware' });

    const { job } = await describeUntilDone(iot, 'update-pumps');
    expect(job).toMatchObject({ jobId: 'update-pumps', status: 'COMPLETED', targetSelection: 'SNAPSHOT', targets: [thingGroupArn('pumps')], description: 'Pump firmware' });
    expect(job!.jobProcessDetails).toEqual({
      numberOfCanceledThings: 0,
      numberOfSucceededThings: 50,
      numberOfFailedThings: 0,
      numberOfRejectedThings: 0,
      numberOfQueuedThings: 0,
      numberOfInProgressThings: 0,
      numberOfRemovedThings: 0,
      numberOfTimedOutThings: 0,
    });
    expect(job!.createdAt).toBeInstanceOf(Date);
    expect(job!.completedAt!.getTime()).toBeGreaterThanOrEqual(job!.createdAt!.getTime());

    const executions: JobExecutionSummaryForJob[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await iot.send(new ListJobExecutionsForJobCommand({ jobId: 'update-pumps', maxResults: 20, nextToken }));
      executions.push(...page.executionSummaries!);
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBe(3);
    expect(executions.map((e) => e.thingArn).sort()).toEqual(things.map(thingArn).sort());
    expect(executions.every((e) => e.jobExecutionSummary!.status === 'SUCCEEDED' && e.jobExecutionSummary!.executionNumber === 1)).toBe(true);

    const succeeded = await iot.send(new ListJobExecutionsForJobCommand({ jobId: 'update-pumps', status: 'SUCCEEDED', maxResults: 250 }));
    expect(succeeded.executionSummaries).toHaveLength(50);
    const failed = await iot.send(new ListJobExecutionsForJobCommand({ jobId: 'update-pumps', status: 'FAILED' }));
    expect(failed.executionSummaries).toEqual([]);
  });

  it('returns the job document, lists the job, and shows each thing its execution', async () => {
    expect((await iot.send(new GetJobDocumentCommand({ jobId: 'update-pumps' }))).document).toBe(document);
    const listed = await iot.send(new ListJobsCommand({ thingGroupName: 'pumps' }));
    expect(listed.jobs!.map((job) => [job.jobId, job.status])).toEqual([['update-pumps', 'COMPLETED']]);
    expect(listed.jobs![0]!.thingGroupId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await iot.send(new ListJobsCommand({ status: 'IN_PROGRESS' }))).jobs).toEqual([]);

    const forThing = await iot.send(new ListJobExecutionsForThingCommand({ thingName: 'pump-17' }));
    expect(forThing.executionSummaries!.map((e) => [e.jobId, e.jobExecutionSummary!.status])).toEqual([['update-pumps', 'SUCCEEDED']]);
    const { execution } = await iot.send(new DescribeJobExecutionCommand({ jobId: 'update-pumps', thingName: 'pump-17' }));
    expect(execution).toMatchObject({ jobId: 'update-pumps', thingArn: thingArn('pump-17'), status: 'SUCCEEDED', executionNumber: 1 });
    const notTargeted = await rejectionOf(iot.send(new DescribeJobExecutionCommand({ jobId: 'update-pumps', thingName: 'outsider-1' })));
    expect(notTargeted.name).toBe('ResourceNotFoundException');
  });

  it('counts FAILED and TIMED_OUT executions from the simulated devices, on thing and group targets at once', async () => {
    await createFleet(host, 'valve', 10, 'valve-type');
    await host.call('PUT', '/_fleetlab/templates/valve-type/behavior', { commandFailureRate: 1, latencyMs: { min: 10, max: 20 } });
    await host.call('PUT', '/_fleetlab/devices/valve-10/behavior', { online: false, commandTimeoutMs: 200 });
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'valves' }));
    for (const n of [1, 2, 3, 4, 5]) await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'valves', thingName: `valve-${n}` }));
    await iot.send(new CreateJobCommand({ jobId: 'close-valves', targets: [thingGroupArn('valves'), thingArn('valve-5'), thingArn('valve-10')], document }));
    const { job } = await describeUntilDone(iot, 'close-valves');
    expect([job!.status, job!.comment]).toEqual(['COMPLETED', undefined]);
    expect(job!.jobProcessDetails).toMatchObject({ numberOfFailedThings: 5, numberOfTimedOutThings: 1, numberOfSucceededThings: 0 });
    const timedOut = await iot.send(new ListJobExecutionsForJobCommand({ jobId: 'close-valves', status: 'TIMED_OUT' }));
    expect(timedOut.executionSummaries!.map((e) => e.thingArn)).toEqual([thingArn('valve-10')]);
  });

  it('refuses a second job with the same id, unknown targets and malformed ARNs', async () => {
    const duplicate = await rejectionOf(iot.send(new CreateJobCommand({ jobId: 'update-pumps', targets: [thingGroupArn('pumps')], document })));
    expect(duplicate.name).toBe('ResourceAlreadyExistsException');
    expect(duplicate.$metadata.httpStatusCode).toBe(409);
    const unknownThing = await rejectionOf(iot.send(new CreateJobCommand({ jobId: 'ghost-job', targets: [thingArn('ghost')], document })));
    expect(unknownThing.name).toBe('ResourceNotFoundException');
    const unknownGroup = await rejectionOf(iot.send(new CreateJobCommand({ jobId: 'ghost-job', targets: [thingGroupArn('ghosts')], document })));
    expect(unknownGroup.name).toBe('ResourceNotFoundException');
    const otherAccount = await rejectionOf(iot.send(new CreateJobCommand({ jobId: 'ghost-job', targets: ['arn:aws:iot:us-east-1:999999999999:thing/pump-1'], document })));
    expect(otherAccount.name).toBe('InvalidRequestException');
    const notAnArn = await rejectionOf(iot.send(new CreateJobCommand({ jobId: 'ghost-job', targets: ['pump-1'], document })));
    expect(notAnArn.name).toBe('InvalidRequestException');
    expect(notAnArn.message).toContain('arn:aws:iot:us-east-1:123456789012:thing/<name>');
  });
});
