import {
  CreateBillingGroupCommand,
  CreateJobCommand,
  CreateJobTemplateCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateThingTypeCommand,
  DescribeEndpointCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { GetPendingJobExecutionsCommand, IoTJobsDataPlaneClient } from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AWS_CREDENTIALS } from '../../../electron/api/aws/credentials.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { ACCOUNT, iotClient, REGION, rejectionOf, thingArn, thingGroupArn } from './aws-client.js';

const arn = (resource: string, name: string) => `arn:aws:iot:${REGION}:${ACCOUNT}:${resource}/${name}`;

describe('AWS IoT tags and DescribeEndpoint', () => {
  let host: TestHost;
  let iot: IoTClient;

  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    await iot.send(new CreateThingCommand({ thingName: 'tagged-thing' }));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'tagged-group', tags: [{ Key: 'team', Value: 'ops' }] }));
    await iot.send(new CreateBillingGroupCommand({ billingGroupName: 'tagged-billing' }));
    await iot.send(new CreateThingTypeCommand({ thingTypeName: 'tagged-type' }));
    await iot.send(new CreateJobCommand({ jobId: 'tagged-job', targets: [thingArn('tagged-thing')], document: '{}', tags: [{ Key: 'team', Value: 'fw' }] }));
    await iot.send(new CreateJobTemplateCommand({ jobTemplateId: 'tagged-template', description: 'T', document: '{}' }));
  });
  afterAll(() => host.stop());

  const tagsOf = async (resourceArn: string) => (await iot.send(new ListTagsForResourceCommand({ resourceArn }))).tags;

  it('tags, retags and untags things, groups, billing groups, thing types, jobs and job templates', async () => {
    expect(await tagsOf(thingGroupArn('tagged-group'))).toEqual([{ Key: 'team', Value: 'ops' }]);
    expect(await tagsOf(arn('job', 'tagged-job'))).toEqual([{ Key: 'team', Value: 'fw' }]);
    for (const resourceArn of [
      thingArn('tagged-thing'),
      thingGroupArn('tagged-group'),
      arn('billinggroup', 'tagged-billing'),
      arn('thingtype', 'tagged-type'),
      arn('job', 'tagged-job'),
      arn('jobtemplate', 'tagged-template'),
    ]) {
      await iot.send(new TagResourceCommand({ resourceArn, tags: [{ Key: 'env', Value: 'test' }, { Key: 'owner', Value: 'me' }] }));
      await iot.send(new TagResourceCommand({ resourceArn, tags: [{ Key: 'env', Value: 'prod' }] }));
      await iot.send(new UntagResourceCommand({ resourceArn, tagKeys: ['owner', 'never-set'] }));
      expect(await tagsOf(resourceArn)).toEqual(expect.arrayContaining([{ Key: 'env', Value: 'prod' }]));
      expect((await tagsOf(resourceArn))!.map((tag) => tag.Key)).not.toContain('owner');
    }
    expect(await tagsOf(thingGroupArn('tagged-group'))).toEqual([{ Key: 'team', Value: 'ops' }, { Key: 'env', Value: 'prod' }]);
  });

  it('answers 404 for a resource that does not exist and 400 for an ARN of a kind that takes no tags', async () => {
    const missing = await rejectionOf(iot.send(new TagResourceCommand({ resourceArn: thingArn('nobody'), tags: [{ Key: 'a', Value: 'b' }] })));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect((await rejectionOf(iot.send(new ListTagsForResourceCommand({ resourceArn: arn('job', 'no-job') })))).name).toBe('ResourceNotFoundException');
    const wrongKind = await rejectionOf(iot.send(new ListTagsForResourceCommand({ resourceArn: arn('cert', 'abc') })));
    expect(wrongKind.name).toBe('InvalidRequestException');
    expect(wrongKind.message).toContain('arn:aws:iot');
  });

  it('gives its own address for the data endpoints, and the jobs data plane under it for iot:Jobs', async () => {
    const address = new URL(host.url).host;
    expect((await iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }))).endpointAddress).toBe(address);
    expect((await iot.send(new DescribeEndpointCommand({}))).endpointAddress).toBe(address);
    const jobs = (await iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Jobs' }))).endpointAddress!;
    expect(jobs).toBe(`${address}/aws-jobs-data`);
    // An agent that builds its endpoint from the answer reaches the data plane.
    const agent = new IoTJobsDataPlaneClient({ endpoint: `http://${jobs}`, region: REGION, credentials: DEFAULT_AWS_CREDENTIALS, maxAttempts: 1 });
    expect((await agent.send(new GetPendingJobExecutionsCommand({ thingName: 'tagged-thing' }))).queuedJobs).toBeDefined();
    const unknown = await rejectionOf(iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Everything' })));
    expect(unknown.name).toBe('InvalidRequestException');
  });

  it('refuses an endpoint type named like an Object.prototype member as any other unknown type', async () => {
    for (const endpointType of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const refused = await rejectionOf(iot.send(new DescribeEndpointCommand({ endpointType })));
      expect(refused.name, endpointType).toBe('InvalidRequestException');
      expect(refused.message).toContain(`Endpoint type ${endpointType} is not valid`);
    }
  });
});
