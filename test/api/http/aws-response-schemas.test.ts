import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelSchemaDocument, operationResponseSchema } from '../../../electron/api/aws/response-schema.js';
import { IOT_JOBS_DATA_MODEL, IOT_MODEL, type ServiceModel } from '../../../electron/api/aws/service-model.js';
import { MODEL_PATTERN } from '../../../electron/api/aws/shape-schema.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { createFleet, signedFetch } from '../aws/aws-client.js';

function schemaChecker(model: ServiceModel) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addKeyword(MODEL_PATTERN);
  ajv.addSchema(modelSchemaDocument(model));
  return (operationName: string, status: number, body: unknown): string | undefined => {
    const operation = model.operations[operationName]!;
    const schema = (operationResponseSchema(model, operation) as Record<string, object>)[String(status)] ?? (operationResponseSchema(model, operation) as Record<string, object>).default!;
    const validate = ajv.compile(schema);
    return validate(body) ? undefined : ajv.errorsText(validate.errors);
  };
}

const controlPlane = schemaChecker(IOT_MODEL);
const dataPlane = schemaChecker(IOT_JOBS_DATA_MODEL);

describe('AWS answers match the botocore output shape their routes declare', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
    await createFleet(host, 'shape', 3);
  });
  afterAll(() => host.stop());

  async function expectShape(check: typeof controlPlane, operation: string, answer: Promise<Response>, status = 200): Promise<unknown> {
    const res = await answer;
    const text = await res.text();
    expect(res.status, text).toBe(status);
    const body: unknown = JSON.parse(text);
    expect(check(operation, res.status, body), text).toBeUndefined();
    return body;
  }

  it('for the registry and jobs of the control plane', async () => {
    await expectShape(controlPlane, 'DescribeThing', signedFetch(host, 'GET', '/things/shape-1'));
    await expectShape(controlPlane, 'ListThings', signedFetch(host, 'GET', '/things'));
    await expectShape(controlPlane, 'CreateThingGroup', signedFetch(host, 'POST', '/thing-groups/shape-group', { body: '{}' }));
    await expectShape(controlPlane, 'AddThingToThingGroup', signedFetch(host, 'PUT', '/thing-groups/addThingToThingGroup', { body: JSON.stringify({ thingGroupName: 'shape-group', thingName: 'shape-1' }) }));
    await expectShape(controlPlane, 'DescribeThingGroup', signedFetch(host, 'GET', '/thing-groups/shape-group'));
    const targets = [`arn:aws:iot:us-east-1:123456789012:thing/shape-2`];
    await expectShape(controlPlane, 'CreateJob', signedFetch(host, 'PUT', '/jobs/shape-job', { body: JSON.stringify({ targets, document: '{"op":"reboot"}' }) }));
    await expectShape(controlPlane, 'DescribeJob', signedFetch(host, 'GET', '/jobs/shape-job'));
    await expectShape(controlPlane, 'ListJobs', signedFetch(host, 'GET', '/jobs'));
    await expectShape(controlPlane, 'ListJobExecutionsForJob', signedFetch(host, 'GET', '/jobs/shape-job/things'));
  });

  it('for the device data plane and for errors', async () => {
    await expectShape(dataPlane, 'GetPendingJobExecutions', signedFetch(host, 'GET', '/things/shape-3/jobs', { prefix: '/aws-jobs-data', service: 'iot-jobs-data' }));
    await expectShape(controlPlane, 'DescribeThing', signedFetch(host, 'GET', '/things/no-such-thing'), 404);
  });
});
