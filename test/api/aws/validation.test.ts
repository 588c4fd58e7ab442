import { CreateJobCommand, CreateThingGroupCommand, DescribeEndpointCommand, DescribeJobCommand, ListJobsCommand, ListThingsCommand, UpdateDynamicThingGroupCommand, type IoTClient } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_ERRORS } from '../../../electron/api/aws/errors.js';
import { IOT_MODEL } from '../../../electron/api/aws/service-model.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { createFleet, iotClient, rejectionOf, signedFetch, thingArn } from './aws-client.js';

const message = async (res: Response) => ((await res.json()) as { message: string }).message;

describe('AWS IoT request validation against the service model', () => {
  let host: TestHost;
  let iot: IoTClient;
  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    await createFleet(host, 'probe', 2, 'probe-type');
  });
  afterAll(() => host.stop());

  it('answers 400 InvalidRequestException naming the member for pattern, range, enum and required violations', async () => {
    const pattern = await rejectionOf(iot.send(new DescribeJobCommand({ jobId: 'bad id!' })));
    expect(pattern.name).toBe('InvalidRequestException');
    expect(pattern.$metadata.httpStatusCode).toBe(400);
    expect(pattern.message).toBe("1 validation error detected: Value 'bad id!' at 'jobId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+");
    const range = await rejectionOf(iot.send(new ListThingsCommand({ maxResults: 1000 })));
    expect(range.message).toBe("1 validation error detected: Value 1000 at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 250");
    const enumValue = await rejectionOf(iot.send(new ListJobsCommand({ status: 'FINISHED' as never })));
    expect(enumValue.message).toContain("at 'status' failed to satisfy constraint: Member must satisfy enum value set: [IN_PROGRESS, CANCELED, COMPLETED, DELETION_IN_PROGRESS, SCHEDULED]");
    const required = await rejectionOf(iot.send(new CreateJobCommand({ jobId: 'no-targets', document: '{}' } as never)));
    expect(required.message).toBe("1 validation error detected: Value null at 'targets' failed to satisfy constraint: Member must not be null");
    const empty = await rejectionOf(iot.send(new CreateJobCommand({ jobId: 'empty-targets', targets: [], document: '{}' })));
    expect(empty.message).toContain("at 'targets' failed to satisfy constraint: Member must have length greater than or equal to 1");
    const nested = await rejectionOf(
      iot.send(
        new CreateJobCommand({
          jobId: 'bad-abort',
          targets: [thingArn('probe-1')],
          document: '{}',
          abortConfig: { criteriaList: [{ failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 150, minNumberOfExecutedThings: 1 }] },
        }),
      ),
    );
    expect(nested.message).toContain("at 'abortConfig.criteriaList.0.thresholdPercentage'");
  });

  it('answers 400 to malformed JSON, a body that is not an object, unknown members and wrongly typed members', async () => {
    const malformed = await signedFetch(host, 'PUT', '/jobs/raw-1', { body: '{"targets": [' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-amzn-errortype')).toBe('InvalidRequestException');
    expect(await message(malformed)).toMatch(/not valid JSON/);
    const array = await signedFetch(host, 'PUT', '/jobs/raw-2', { body: '[]' });
    expect(array.status).toBe(400);
    const unknown = await signedFetch(host, 'PUT', '/jobs/raw-3', { body: JSON.stringify({ targets: [thingArn('probe-1')], document: '{}', priority: 5 }) });
    expect(unknown.status).toBe(400);
    expect(await message(unknown)).toContain("'priority' is not a member of this request");
    const typed = await signedFetch(host, 'PUT', '/jobs/raw-4', { body: JSON.stringify({ targets: thingArn('probe-1'), document: '{}' }) });
    expect(typed.status).toBe(400);
    expect(await message(typed)).toContain("at 'targets' failed to satisfy constraint: Member must be of type array");
  });

  it('answers 400 to a nextToken it did not issue', async () => {
    const error = await rejectionOf(iot.send(new ListThingsCommand({ nextToken: 'not-a-token' })));
    expect(error.name).toBe('InvalidRequestException');
  });

  it('answers 501 NotImplementedException for operations and options it does not emulate, and for unknown paths', async () => {
    const credentials = await rejectionOf(iot.send(new DescribeEndpointCommand({ endpointType: 'iot:CredentialProvider' })));
    expect(credentials.name).toBe('NotImplementedException');
    expect(credentials.$metadata.httpStatusCode).toBe(501);
    expect(credentials.message).toContain('credential provider');
    const badWindow = await rejectionOf(
      iot.send(
        new CreateJobCommand({
          jobId: 'windowed',
          targets: [thingArn('probe-1')],
          document: '{}',
          schedulingConfig: { maintenanceWindows: [{ startTime: 'cron(every saturday)', durationInMinutes: 60 }] },
        }),
      ),
    );
    expect(badWindow.name).toBe('InvalidRequestException');
    const unknownPath = await signedFetch(host, 'GET', '/fleet-metrics');
    expect(unknownPath.status).toBe(501);
    expect(unknownPath.headers.get('x-amzn-errortype')).toBe('NotImplementedException');
  });

  it('says what a request lacks or asks for wrongly in the API\'s own field names', async () => {
    const noDocument = await rejectionOf(iot.send(new CreateJobCommand({ jobId: 'no-document', targets: [thingArn('probe-1')] })));
    expect(noDocument.name).toBe('InvalidRequestException');
    expect(noDocument.message).toBe('A job needs a document, a documentSource or a jobTemplateArn.');
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'static-probes' }));
    const notDynamic = await rejectionOf(iot.send(new UpdateDynamicThingGroupCommand({ thingGroupName: 'static-probes', thingGroupProperties: {}, queryString: 'thingName:probe-*' })));
    expect(notDynamic.name).toBe('InvalidRequestException');
    expect(notDynamic.message).toBe('Thing group static-probes is static: it has no queryString to change.');
  });

  it('uses the status code the model gives every modelled exception', () => {
    for (const [name, shape] of Object.entries(IOT_MODEL.shapes)) {
      if (shape.exception) expect([name, AWS_ERRORS[name as keyof typeof AWS_ERRORS]]).toEqual([name, shape.error?.httpStatusCode]);
    }
  });
});
