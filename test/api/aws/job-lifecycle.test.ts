import {
  CancelJobCommand,
  CreateJobCommand,
  CreateJobTemplateCommand,
  DeleteJobCommand,
  DeleteJobTemplateCommand,
  DescribeJobCommand,
  DescribeJobExecutionCommand,
  DescribeJobTemplateCommand,
  GetJobDocumentCommand,
  ListJobTemplatesCommand,
  UpdateJobCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { createFleet, describeUntilDone, iotClient, rejectionOf, thingArn } from './aws-client.js';

const document = '{"operation":"reboot"}';
const ABORT = { criteriaList: [{ failureType: 'FAILED' as const, action: 'CANCEL' as const, thresholdPercentage: 50, minNumberOfExecutedThings: 1 }] };
const counts = async (iot: IoTClient, jobId: string) => (await iot.send(new DescribeJobCommand({ jobId }))).job!;

describe('AWS IoT job cancellation, deletion and templates', () => {
  let host: TestHost;
  let iot: IoTClient;
  let slow: string[];
  let fast: string[];

  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    slow = await createFleet(host, 'slow', 6, 'slow-type');
    fast = await createFleet(host, 'fast', 3, 'fast-type');
    // Slow devices take a simulated minute to answer, so their executions stay IN_PROGRESS while the test looks.
    await host.call('PUT', '/_fleetlab/templates/slow-type/behavior', { latencyMs: { min: 60_000, max: 60_000 } });
  });
  afterAll(() => host.stop());

  it('cancels queued executions, keeps in-progress ones, and with force cancels those too', async () => {
    await iot.send(new CreateJobCommand({ jobId: 'slow-rollout', targets: slow.map(thingArn), document, jobExecutionsRolloutConfig: { maximumPerMinute: 2 } }));
    await expect.poll(async () => (await counts(iot, 'slow-rollout')).jobProcessDetails!.numberOfInProgressThings).toBe(2);
    expect((await counts(iot, 'slow-rollout')).jobProcessDetails!.numberOfQueuedThings).toBe(4);

    await iot.send(new CancelJobCommand({ jobId: 'slow-rollout', reasonCode: 'OPERATOR_STOP', comment: 'wrong firmware' }));
    const canceled = await counts(iot, 'slow-rollout');
    expect(canceled).toMatchObject({ status: 'CANCELED', reasonCode: 'OPERATOR_STOP', comment: 'wrong firmware' });
    expect(canceled.jobProcessDetails).toMatchObject({ numberOfCanceledThings: 4, numberOfInProgressThings: 2, numberOfQueuedThings: 0 });

    await iot.send(new CancelJobCommand({ jobId: 'slow-rollout', force: true }));
    const forced = await counts(iot, 'slow-rollout');
    expect(forced).toMatchObject({ status: 'CANCELED', forceCanceled: true });
    expect(forced.jobProcessDetails).toMatchObject({ numberOfCanceledThings: 6, numberOfInProgressThings: 0 });
    const { execution } = await iot.send(new DescribeJobExecutionCommand({ jobId: 'slow-rollout', thingName: 'slow-1' }));
    expect(execution).toMatchObject({ status: 'CANCELED', forceCanceled: true });
  });

  it('refuses to cancel a completed job', async () => {
    await iot.send(new CreateJobCommand({ jobId: 'fast-job', targets: fast.map(thingArn), document }));
    expect((await describeUntilDone(iot, 'fast-job')).job!.status).toBe('COMPLETED');
    const error = await rejectionOf(iot.send(new CancelJobCommand({ jobId: 'fast-job' })));
    expect(error.name).toBe('InvalidRequestException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('deletes a finished job, an in-progress one only with force, and lets the id be used again', async () => {
    await iot.send(new CreateJobCommand({ jobId: 'slow-delete', targets: [thingArn('slow-1')], document }));
    const refused = await rejectionOf(iot.send(new DeleteJobCommand({ jobId: 'slow-delete' })));
    expect(refused.name).toBe('InvalidStateTransitionException');
    expect(refused.$metadata.httpStatusCode).toBe(409);
    await iot.send(new DeleteJobCommand({ jobId: 'slow-delete', force: true }));
    expect((await rejectionOf(iot.send(new DescribeJobCommand({ jobId: 'slow-delete' })))).name).toBe('ResourceNotFoundException');

    await iot.send(new DeleteJobCommand({ jobId: 'fast-job' }));
    await iot.send(new CreateJobCommand({ jobId: 'fast-job', targets: [thingArn('fast-1')], document: '{"again":true}' }));
    const again = await describeUntilDone(iot, 'fast-job');
    expect(again.job!.jobProcessDetails).toMatchObject({ numberOfSucceededThings: 1 });
    expect((await iot.send(new GetJobDocumentCommand({ jobId: 'fast-job' }))).document).toBe('{"again":true}');
  });

  it('updates a job description, changes the configuration of an unfinished job only', async () => {
    await iot.send(new UpdateJobCommand({ jobId: 'fast-job', description: 'second run' }));
    expect((await counts(iot, 'fast-job')).description).toBe('second run');
    const error = await rejectionOf(iot.send(new UpdateJobCommand({ jobId: 'fast-job', timeoutConfig: { inProgressTimeoutInMinutes: 5 } })));
    expect(error.name).toBe('InvalidRequestException');
    expect(error.message).toContain('finished');

    await iot.send(new CreateJobCommand({ jobId: 'slow-update', targets: [thingArn('slow-2')], document }));
    await iot.send(new UpdateJobCommand({ jobId: 'slow-update', timeoutConfig: { inProgressTimeoutInMinutes: 5 }, abortConfig: ABORT }));
    expect(await counts(iot, 'slow-update')).toMatchObject({ timeoutConfig: { inProgressTimeoutInMinutes: 5 }, abortConfig: ABORT });
    await iot.send(new CancelJobCommand({ jobId: 'slow-update', force: true }));
  });

  it('creates jobs from a job template with documentParameters substituted', async () => {
    const template = await iot.send(
      new CreateJobTemplateCommand({ jobTemplateId: 'ota', description: 'OTA update', document: '{"url":"${aws:iot:parameter:url}","v":"${aws:iot:parameter:version}"}' }),
    );
    expect(template).toEqual(expect.objectContaining({ jobTemplateId: 'ota', jobTemplateArn: 'arn:aws:iot:us-east-1:123456789012:jobtemplate/ota' }));
    const described = await iot.send(new DescribeJobTemplateCommand({ jobTemplateId: 'ota' }));
    expect(described).toMatchObject({ jobTemplateId: 'ota', description: 'OTA update' });
    expect(described.createdAt).toBeInstanceOf(Date);
    expect((await iot.send(new ListJobTemplatesCommand({}))).jobTemplates!.map((t) => t.jobTemplateId)).toEqual(['ota']);
    const duplicate = await rejectionOf(iot.send(new CreateJobTemplateCommand({ jobTemplateId: 'ota', description: 'again', document })));
    expect(duplicate.name).toBe('ConflictException');

    await iot.send(
      new CreateJobCommand({
        jobId: 'from-template',
        targets: [thingArn('fast-2')],
        jobTemplateArn: template.jobTemplateArn,
        documentParameters: { url: 'https://example.com/fw.bin', version: '3.0' },
      }),
    );
    expect((await iot.send(new GetJobDocumentCommand({ jobId: 'from-template' }))).document).toBe('{"url":"https://example.com/fw.bin","v":"3.0"}');
    expect((await iot.send(new GetJobDocumentCommand({ jobId: 'from-template', beforeSubstitution: true }))).document).toBe(described.document);
    expect((await counts(iot, 'from-template')).jobTemplateArn).toBe(template.jobTemplateArn);

    const missing = await rejectionOf(
      iot.send(new CreateJobCommand({ jobId: 'from-template-2', targets: [thingArn('fast-2')], jobTemplateArn: template.jobTemplateArn, documentParameters: { url: 'x' } })),
    );
    expect(missing.name).toBe('InvalidRequestException');
    expect(missing.message).toContain('"version"');

    await iot.send(new DeleteJobTemplateCommand({ jobTemplateId: 'ota' }));
    expect((await rejectionOf(iot.send(new DescribeJobTemplateCommand({ jobTemplateId: 'ota' })))).name).toBe('ResourceNotFoundException');
  });
});
