import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DescribeThingCommand,
  ListThingsCommand,
  ListThingsInThingGroupCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { createFleet, iotClient, rejectionOf, thingArn, thingGroupArn } from './aws-client.js';

describe('AWS IoT things and thing groups', () => {
  let host: TestHost;
  let iot: IoTClient;
  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    await createFleet(host, 'meter', 12, 'meter-type');
  });
  afterAll(() => host.stop());

  it('shows every simulated device as a thing whose type is its device template', async () => {
    const thing = await iot.send(new DescribeThingCommand({ thingName: 'meter-7' }));
    expect(thing).toMatchObject({ thingName: 'meter-7', thingArn: thingArn('meter-7'), thingTypeName: 'meter-type', version: 1, attributes: {} });
    expect(thing.thingId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const missing = await rejectionOf(iot.send(new DescribeThingCommand({ thingName: 'meter-99' })));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.$metadata.httpStatusCode).toBe(404);
  });

  it('creates a thing as a simulated device, idempotently, and refuses a different redefinition', async () => {
    const created = await iot.send(new CreateThingCommand({ thingName: 'gateway-1', attributePayload: { attributes: { site: 'north' } } }));
    expect(created).toMatchObject({ thingName: 'gateway-1', thingArn: thingArn('gateway-1') });
    const again = await iot.send(new CreateThingCommand({ thingName: 'gateway-1', attributePayload: { attributes: { site: 'north' } } }));
    expect(again.thingId).toBe(created.thingId);
    const different = await rejectionOf(iot.send(new CreateThingCommand({ thingName: 'gateway-1', attributePayload: { attributes: { site: 'south' } } })));
    expect(different.name).toBe('ResourceAlreadyExistsException');
    expect(different.message).toBe('Thing gateway-1 already exists in account with different attributes');
    const device = await host.call('GET', '/api/devices/gateway-1?api-version=2022-07-31');
    expect(await device.json()).toMatchObject({ id: 'gateway-1', simulated: true });
    const described = await iot.send(new DescribeThingCommand({ thingName: 'gateway-1' }));
    expect(described.attributes).toEqual({ site: 'north' });
  });

  it('creates a thing of a type (a device template) and refuses an unknown type', async () => {
    const typed = await iot.send(new CreateThingCommand({ thingName: 'meter-extra', thingTypeName: 'meter-type' }));
    expect(typed.thingName).toBe('meter-extra');
    const unknownType = await rejectionOf(iot.send(new CreateThingCommand({ thingName: 'x-1', thingTypeName: 'NoSuchType' })));
    expect(unknownType.name).toBe('ResourceNotFoundException');
  });

  it('lists things with nextToken paging and filters by attribute and thing type', async () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await iot.send(new ListThingsCommand({ maxResults: 5, nextToken }));
      expect(page.things!.length).toBeLessThanOrEqual(5);
      seen.push(...page.things!.map((thing) => thing.thingName!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(['meter-1', 'meter-12', 'gateway-1', 'meter-extra']));
    const bySite = await iot.send(new ListThingsCommand({ attributeName: 'site', attributeValue: 'north' }));
    expect(bySite.things!.map((thing) => thing.thingName)).toEqual(['gateway-1']);
    const byPrefix = await iot.send(new ListThingsCommand({ attributeName: 'site', attributeValue: 'no', usePrefixAttributeValue: true }));
    expect(byPrefix.things!.map((thing) => thing.thingName)).toEqual(['gateway-1']);
    const byType = await iot.send(new ListThingsCommand({ thingTypeName: 'meter-type', maxResults: 250 }));
    expect(byType.things).toHaveLength(13);
  });

  it('groups things, by name or ARN, and lists a group recursively through its child groups', async () => {
    const group = await iot.send(new CreateThingGroupCommand({ thingGroupName: 'plant', thingGroupProperties: { thingGroupDescription: 'Plant' } }));
    expect(group).toMatchObject({ thingGroupName: 'plant', thingGroupArn: thingGroupArn('plant') });
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'plant-line-1', parentGroupName: 'plant' }));
    for (const n of [1, 2, 3]) await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'plant', thingName: `meter-${n}` }));
    await iot.send(new AddThingToThingGroupCommand({ thingGroupArn: thingGroupArn('plant-line-1'), thingArn: thingArn('meter-4') }));
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'plant', thingName: 'meter-1' }));
    const direct = await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'plant', maxResults: 2 }));
    expect(direct.things).toEqual(['meter-1', 'meter-2']);
    const rest = await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'plant', maxResults: 2, nextToken: direct.nextToken }));
    expect(rest.things).toEqual(['meter-3']);
    expect(rest.nextToken).toBeUndefined();
    const recursive = await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'plant', recursive: true }));
    expect(recursive.things).toEqual(['meter-1', 'meter-2', 'meter-3', 'meter-4']);
  });

  it('answers 404 for an unknown group or thing and 409 for a redefined group', async () => {
    const noGroup = await rejectionOf(iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'nowhere', thingName: 'meter-1' })));
    expect(noGroup.name).toBe('ResourceNotFoundException');
    const noThing = await rejectionOf(iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'plant', thingName: 'ghost' })));
    expect(noThing.name).toBe('ResourceNotFoundException');
    const both = await rejectionOf(iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'plant', thingGroupArn: thingGroupArn('plant'), thingName: 'meter-1' })));
    expect(both.name).toBe('InvalidRequestException');
    const redefined = await rejectionOf(iot.send(new CreateThingGroupCommand({ thingGroupName: 'plant', thingGroupProperties: { thingGroupDescription: 'Other' } })));
    expect(redefined.name).toBe('ResourceAlreadyExistsException');
    expect(redefined.message).toBe('Thing Group plant already exists in current account with different properties');
    expect(redefined.$metadata.httpStatusCode).toBe(409);
  });
});
