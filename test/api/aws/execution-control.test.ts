import {
  CancelJobCommand,
  CancelJobExecutionCommand,
  CreateJobCommand,
  DeleteJobExecutionCommand,
  DescribeJobCommand,
  DescribeJobExecutionCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { createFleet, describeUntilDone, iotClient, rejectionOf, thingArn } from './aws-client.js';

const document = '{"operation":"calibrate"}';
const executionOf = async (iot: IoTClient, jobId: string, thingName: string) =>
  (await iot.send(new DescribeJobExecutionCommand({ jobId, thingName }))).execution!;

describe('AWS IoT CancelJobExecution and DeleteJobExecution', () => {
  let host: TestHost;
  let iot: IoTClient;

  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    await createFleet(host, 'meter', 4, 'meter-type');
    // Meters take a simulated minute to answer, so a started execution stays IN_PROGRESS while the test looks.
    await host.call('PUT', '/_fleetlab/templates/meter-type/behavior', { latencyMs: { min: 60_000, max: 60_000 } });
    // One thing a minute: meter-1 starts at once, the others stay QUEUED.
    await iot.send(
      new CreateJobCommand({ jobId: 'calibration', targets: ['meter-1', 'meter-2', 'meter-3', 'meter-4'].map(thingArn), document, jobExecutionsRolloutConfig: { maximumPerMinute: 1 } }),
    );
  });
  afterAll(() => host.stop());

  it('cancels a queued execution; the service sets CANCELED and moves its version on', async () => {
    await expect.poll(async () => (await executionOf(iot, 'calibration', 'meter-1')).status).toBe('IN_PROGRESS');
    expect(await executionOf(iot, 'calibration', 'meter-2')).toMatchObject({ status: 'QUEUED', versionNumber: 1 });
    const stale = await rejectionOf(iot.send(new CancelJobExecutionCommand({ jobId: 'calibration', thingName: 'meter-2', expectedVersion: 5 })));
    expect(stale.name).toBe('VersionConflictException');
    expect(stale.$metadata.httpStatusCode).toBe(409);

    await iot.send(new CancelJobExecutionCommand({ jobId: 'calibration', thingName: 'meter-2', expectedVersion: 1, statusDetails: { reason: 'replaced' } }));
    expect(await executionOf(iot, 'calibration', 'meter-2')).toMatchObject({ status: 'CANCELED', versionNumber: 2, statusDetails: { detailsMap: { reason: 'replaced' } } });
    const job = (await iot.send(new DescribeJobCommand({ jobId: 'calibration' }))).job!;
    expect(job).toMatchObject({ status: 'IN_PROGRESS', jobProcessDetails: { numberOfCanceledThings: 1, numberOfInProgressThings: 1, numberOfQueuedThings: 2 } });
  });

  it('cancels an in-progress execution only with force, and a finished one never', async () => {
    const refused = await rejectionOf(iot.send(new CancelJobExecutionCommand({ jobId: 'calibration', thingName: 'meter-1' })));
    expect(refused.name).toBe('InvalidStateTransitionException');
    expect(refused.$metadata.httpStatusCode).toBe(409);
    await iot.send(new CancelJobExecutionCommand({ jobId: 'calibration', thingName: 'meter-1', force: true }));
    expect(await executionOf(iot, 'calibration', 'meter-1')).toMatchObject({ status: 'CANCELED', versionNumber: 3 });

    const again = await rejectionOf(iot.send(new CancelJobExecutionCommand({ jobId: 'calibration', thingName: 'meter-1', force: true })));
    expect(again.name).toBe('InvalidStateTransitionException');
  });

  it('deletes a finished execution, an unfinished one only with force, and only execution number 1', async () => {
    const unfinished = await rejectionOf(iot.send(new DeleteJobExecutionCommand({ jobId: 'calibration', thingName: 'meter-3', executionNumber: 1 })));
    expect(unfinished.name).toBe('InvalidStateTransitionException');
    const unknownNumber = await rejectionOf(iot.send(new DeleteJobExecutionCommand({ jobId: 'calibration', thingName: 'meter-2', executionNumber: 2 })));
    expect(unknownNumber.name).toBe('ResourceNotFoundException');

    await iot.send(new DeleteJobExecutionCommand({ jobId: 'calibration', thingName: 'meter-2', executionNumber: 1 }));
    expect((await executionOf(iot, 'calibration', 'meter-2')).status).toBe('REMOVED');
    await iot.send(new DeleteJobExecutionCommand({ jobId: 'calibration', thingName: 'meter-3', executionNumber: 1, force: true }));
    expect((await executionOf(iot, 'calibration', 'meter-3')).status).toBe('REMOVED');

    await iot.send(new CancelJobCommand({ jobId: 'calibration' }));
    const { job } = await describeUntilDone(iot, 'calibration');
    expect(job).toMatchObject({ status: 'CANCELED', jobProcessDetails: { numberOfRemovedThings: 2, numberOfCanceledThings: 2 } });
  });
});
