import {
  AddThingToThingGroupCommand,
  CreateDynamicThingGroupCommand,
  CreateJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteDynamicThingGroupCommand,
  DescribeJobExecutionCommand,
  DescribeThingGroupCommand,
  ListThingGroupsForThingCommand,
  ListThingsInThingGroupCommand,
  SearchIndexCommand,
  UpdateDynamicThingGroupCommand,
  UpdateThingCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { createFleet, iotClient, rejectionOf, thingGroupArn, useVirtualTime } from './aws-client.js';

const setColor = (iot: IoTClient, thingName: string, color: string) =>
  iot.send(new UpdateThingCommand({ thingName, attributePayload: { attributes: { color }, merge: true } }));

describe('AWS IoT dynamic thing groups and SearchIndex', () => {
  let host: TestHost;
  let iot: IoTClient;
  const membersOf = async (thingGroupName: string) => (await iot.send(new ListThingsInThingGroupCommand({ thingGroupName }))).things;

  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    await useVirtualTime(host);
    await createFleet(host, 'lamp', 3, 'lamp-type');
    await iot.send(new CreateThingCommand({ thingName: 'bulb-1', attributePayload: { attributes: { color: 'red', watts: '40' } } }));
    await iot.send(new CreateThingCommand({ thingName: 'bulb-2', attributePayload: { attributes: { color: 'blue', watts: '60' } } }));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'hall' }));
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'hall', thingName: 'lamp-2' }));
  });
  afterAll(() => host.stop());

  it('searches things by name, type, group and attributes with AND, OR, NOT and ranges', async () => {
    const names = async (queryString: string) => (await iot.send(new SearchIndexCommand({ queryString }))).things!.map((thing) => thing.thingName);
    expect(await names('attributes.color:red OR thingGroupNames:hall')).toEqual(['bulb-1', 'lamp-2']);
    expect(await names('thingName:lamp* AND NOT thingGroupNames:hall')).toEqual(['lamp-1', 'lamp-3']);
    expect(await names('attributes.watts:[50 TO *]')).toEqual(['bulb-2']);
    expect(await names('thingTypeName:lamp-type attributes.color:red')).toEqual([]);
    const page = await iot.send(new SearchIndexCommand({ queryString: 'thingName:*', maxResults: 2 }));
    expect(page.things!.map((thing) => thing.thingName)).toEqual(['bulb-1', 'bulb-2']);
    expect(page.things![0]).toMatchObject({ thingId: expect.any(String), attributes: { color: 'red', watts: '40' }, thingGroupNames: [] });
    const rest = await iot.send(new SearchIndexCommand({ queryString: 'thingName:*', nextToken: page.nextToken }));
    expect(rest.things!.map((thing) => thing.thingName)).toEqual(['lamp-1', 'lamp-2', 'lamp-3']);

    const bad = await rejectionOf(iot.send(new SearchIndexCommand({ queryString: 'attributes.color:(red' })));
    expect(bad.name).toBe('InvalidQueryException');
    expect(bad.$metadata.httpStatusCode).toBe(400);
    expect((await rejectionOf(iot.send(new SearchIndexCommand({ queryString: 'thingName:a', indexName: 'AWS_ThingGroups' })))).name).toBe('InvalidQueryException');
  });

  it('creates a dynamic group whose members follow their attributes, and refuses adding things to it', async () => {
    const created = await iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'red-things', queryString: 'attributes.color:red' }));
    expect(created).toMatchObject({ thingGroupName: 'red-things', indexName: 'AWS_Things', queryString: 'attributes.color:red', queryVersion: '2017-09-30' });
    expect(await iot.send(new DescribeThingGroupCommand({ thingGroupName: 'red-things' }))).toMatchObject({ queryString: 'attributes.color:red', status: 'ACTIVE' });
    expect(await membersOf('red-things')).toEqual(['bulb-1']);

    await setColor(iot, 'lamp-1', 'red');
    await setColor(iot, 'bulb-1', 'green');
    await expect.poll(() => membersOf('red-things')).toEqual(['lamp-1']);
    expect((await iot.send(new ListThingGroupsForThingCommand({ thingName: 'lamp-1' }))).thingGroups!.map((group) => group.groupName)).toEqual(['red-things']);

    const added = await rejectionOf(iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'red-things', thingName: 'bulb-2' })));
    expect(added.name).toBe('InvalidRequestException');
    expect(added.message).toContain('dynamic');
    const child = await rejectionOf(iot.send(new CreateThingGroupCommand({ thingGroupName: 'red-child', parentGroupName: 'red-things' })));
    expect(child.name).toBe('InvalidRequestException');
    const badQuery = await rejectionOf(iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'broken', queryString: 'color red' })));
    expect(badQuery.name).toBe('InvalidQueryException');

    expect((await iot.send(new UpdateDynamicThingGroupCommand({ thingGroupName: 'red-things', expectedVersion: 1, thingGroupProperties: {}, queryString: 'attributes.color:green' }))).version).toBe(2);
    await expect.poll(() => membersOf('red-things')).toEqual(['bulb-1']);
    const stale = await rejectionOf(iot.send(new UpdateDynamicThingGroupCommand({ thingGroupName: 'red-things', expectedVersion: 1, thingGroupProperties: {} })));
    expect(stale.name).toBe('VersionConflictException');
    await iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: 'red-things' }));
    expect((await rejectionOf(iot.send(new DescribeThingGroupCommand({ thingGroupName: 'red-things' })))).name).toBe('ResourceNotFoundException');
  });

  it('gives a thing that starts to match a continuous job dynamic group its execution', async () => {
    await iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'big-bulbs', queryString: 'attributes.watts>50' }));
    await iot.send(new CreateJobCommand({ jobId: 'follow-big', targets: [thingGroupArn('big-bulbs')], document: '{"operation":"dim"}', targetSelection: 'CONTINUOUS' }));
    const statusOf = async (thingName: string) => {
      const described = iot.send(new DescribeJobExecutionCommand({ jobId: 'follow-big', thingName }));
      return described.then((out) => out.execution!.status, (error: { name: string }) => error.name);
    };
    await expect.poll(() => statusOf('bulb-2')).toBe('SUCCEEDED');
    expect(await statusOf('bulb-1')).toBe('ResourceNotFoundException');

    await iot.send(new UpdateThingCommand({ thingName: 'bulb-1', attributePayload: { attributes: { watts: '75' }, merge: true } }));
    await expect.poll(() => statusOf('bulb-1')).toBe('SUCCEEDED');
    // A thing that stops matching leaves the group; its execution stays.
    await iot.send(new UpdateThingCommand({ thingName: 'bulb-1', attributePayload: { attributes: { watts: '10' }, merge: true } }));
    await expect.poll(() => membersOf('big-bulbs')).toEqual(['bulb-2']);
    expect(await statusOf('bulb-1')).toBe('SUCCEEDED');
  });
});
