import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateThingTypeCommand,
  ListTagsForResourceCommand,
  ListThingGroupsForThingCommand,
  TagResourceCommand,
  UpdateThingCommand,
  UpdateThingGroupsForThingCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { iotClient, rejectionOf, thingGroupArn } from './aws-client.js';

const attributes = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`a${i + 1}`, `v${i + 1}`]));
const tags = (count: number, from = 1) => Array.from({ length: count }, (_, i) => ({ Key: `k${from + i}`, Value: 'v' }));

describe("AWS IoT's per-thing and per-resource registry limits", () => {
  let host: TestHost;
  let iot: IoTClient;

  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    for (let n = 1; n <= 11; n++) await iot.send(new CreateThingGroupCommand({ thingGroupName: `g${n}` }));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'g1-child', parentGroupName: 'g1' }));
  });
  afterAll(() => host.stop());

  it('keeps a thing in at most 10 thing groups, and in one group per hierarchy', async () => {
    await iot.send(new CreateThingCommand({ thingName: 'busy' }));
    for (let n = 1; n <= 10; n++) await iot.send(new AddThingToThingGroupCommand({ thingGroupName: `g${n}`, thingName: 'busy' }));
    const eleventh = await rejectionOf(iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'g11', thingName: 'busy' })));
    expect(eleventh.name).toBe('InvalidRequestException');
    expect(eleventh.$metadata.httpStatusCode).toBe(400);
    expect(eleventh.message).toBe('Thing busy can be in at most 10 thing groups; this request would put it in 11.');
    // Leaving one group makes room for another in the same request.
    await iot.send(new UpdateThingGroupsForThingCommand({ thingName: 'busy', thingGroupsToAdd: ['g11'], thingGroupsToRemove: ['g10'] }));
    const groups = (await iot.send(new ListThingGroupsForThingCommand({ thingName: 'busy' }))).thingGroups!.map((group) => group.groupName);
    expect(groups).toHaveLength(10);
    expect(groups).toContain('g11');
    expect(groups).not.toContain('g10');

    await iot.send(new CreateThingCommand({ thingName: 'nested' }));
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'g1', thingName: 'nested' }));
    const sameHierarchy = await rejectionOf(iot.send(new AddThingToThingGroupCommand({ thingGroupArn: thingGroupArn('g1-child'), thingName: 'nested' })));
    expect(sameHierarchy.name).toBe('InvalidRequestException');
    expect(sameHierarchy.message).toContain('only one group of a hierarchy');
    expect((await iot.send(new ListThingGroupsForThingCommand({ thingName: 'nested' }))).thingGroups!.map((group) => group.groupName)).toEqual(['g1']);
  });

  it('allows 3 attributes on a thing without a type and 50 on a typed thing', async () => {
    await iot.send(new CreateThingCommand({ thingName: 'plain', attributePayload: { attributes: attributes(3) } }));
    const fourth = await rejectionOf(iot.send(new UpdateThingCommand({ thingName: 'plain', attributePayload: { attributes: { a4: 'v4' }, merge: true } })));
    expect(fourth.name).toBe('InvalidRequestException');
    expect(fourth.message).toBe('Thing plain would have 4 attributes; a thing without a thing type can have at most 3.');
    expect((await rejectionOf(iot.send(new CreateThingCommand({ thingName: 'plain-4', attributePayload: { attributes: attributes(4) } })))).name).toBe('InvalidRequestException');

    await iot.send(new CreateThingTypeCommand({ thingTypeName: 'sensor' }));
    await iot.send(new CreateThingCommand({ thingName: 'typed', thingTypeName: 'sensor', attributePayload: { attributes: attributes(50) } }));
    const fiftyFirst = await rejectionOf(iot.send(new UpdateThingCommand({ thingName: 'typed', attributePayload: { attributes: { a51: 'v' }, merge: true } })));
    expect(fiftyFirst.message).toBe('Thing typed would have 51 attributes; a thing with a thing type can have at most 50.');
    // Dropping the type with more than 3 attributes is refused too.
    expect((await rejectionOf(iot.send(new UpdateThingCommand({ thingName: 'typed', removeThingType: true })))).name).toBe('InvalidRequestException');
  });

  it('allows 50 tags per resource: LimitExceededException from TagResource, InvalidRequestException from a create', async () => {
    const arn = thingGroupArn('g2');
    await iot.send(new TagResourceCommand({ resourceArn: arn, tags: tags(49) }));
    // A key the resource has takes the new value and does not count twice.
    await iot.send(new TagResourceCommand({ resourceArn: arn, tags: [...tags(1), ...tags(1, 50)] }));
    const over = await rejectionOf(iot.send(new TagResourceCommand({ resourceArn: arn, tags: tags(1, 51) })));
    expect(over.name).toBe('LimitExceededException');
    expect(over.$metadata.httpStatusCode).toBe(410);
    expect(over.message).toBe('A resource can have at most 50 tags; this request would give it 51.');
    expect((await iot.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toHaveLength(50);

    const created = await rejectionOf(iot.send(new CreateThingGroupCommand({ thingGroupName: 'tagged', tags: tags(51) })));
    expect(created.name).toBe('InvalidRequestException');
  });
});
