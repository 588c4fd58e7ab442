import {
  AddThingToBillingGroupCommand,
  CreateBillingGroupCommand,
  CreateThingCommand,
  CreateThingTypeCommand,
  DeleteBillingGroupCommand,
  DeleteThingCommand,
  DeleteThingTypeCommand,
  DeprecateThingTypeCommand,
  DescribeBillingGroupCommand,
  DescribeThingCommand,
  DescribeThingTypeCommand,
  ListBillingGroupsCommand,
  ListThingsInBillingGroupCommand,
  ListThingTypesCommand,
  RemoveThingFromBillingGroupCommand,
  UpdateBillingGroupCommand,
  UpdateThingCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { ACCOUNT, createFleet, iotClient, REGION, rejectionOf, thingArn } from './aws-client.js';

const thingTypeArn = (name: string) => `arn:aws:iot:${REGION}:${ACCOUNT}:thingtype/${name}`;
const billingGroupArn = (name: string) => `arn:aws:iot:${REGION}:${ACCOUNT}:billinggroup/${name}`;

describe('AWS IoT thing types (device templates) and billing groups', () => {
  let host: TestHost;
  let iot: IoTClient;

  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    await createFleet(host, 'meter', 2, 'meter-type');
  });
  afterAll(() => host.stop());

  it('creates a thing type as a device template, idempotently, and describes and lists it', async () => {
    const created = await iot.send(new CreateThingTypeCommand({ thingTypeName: 'lightbulb', thingTypeProperties: { thingTypeDescription: 'Bulbs', searchableAttributes: ['wattage'] } }));
    expect(created).toMatchObject({ thingTypeName: 'lightbulb', thingTypeArn: thingTypeArn('lightbulb') });
    const again = await iot.send(new CreateThingTypeCommand({ thingTypeName: 'lightbulb', thingTypeProperties: { thingTypeDescription: 'Bulbs', searchableAttributes: ['wattage'] } }));
    expect(again.thingTypeId).toBe(created.thingTypeId);
    const different = await rejectionOf(iot.send(new CreateThingTypeCommand({ thingTypeName: 'lightbulb', thingTypeProperties: { thingTypeDescription: 'Other' } })));
    expect(different.name).toBe('ResourceAlreadyExistsException');
    expect(different.message).toBe('Thing Type lightbulb already exists in current account with different properties');

    const template = await host.call('GET', '/api/deviceTemplates/lightbulb?api-version=2022-07-31');
    expect(await template.json()).toMatchObject({ '@id': 'lightbulb', displayName: 'lightbulb', description: 'Bulbs' });
    const described = await iot.send(new DescribeThingTypeCommand({ thingTypeName: 'lightbulb' }));
    expect(described).toMatchObject({
      thingTypeName: 'lightbulb',
      thingTypeId: created.thingTypeId,
      thingTypeProperties: { thingTypeDescription: 'Bulbs', searchableAttributes: ['wattage'] },
      thingTypeMetadata: { deprecated: false },
    });
    expect(described.thingTypeMetadata!.creationDate).toBeInstanceOf(Date);
    // A device template made through IoT Central is a thing type too.
    expect(await iot.send(new DescribeThingTypeCommand({ thingTypeName: 'meter-type' }))).toMatchObject({ thingTypeName: 'meter-type', thingTypeMetadata: { deprecated: false } });
    const listed = await iot.send(new ListThingTypesCommand({}));
    expect(listed.thingTypes!.map((type) => type.thingTypeName)).toEqual(['meter-type', 'lightbulb']);
    expect((await iot.send(new ListThingTypesCommand({ thingTypeName: 'lightbulb' }))).thingTypes).toHaveLength(1);
    expect((await rejectionOf(iot.send(new DescribeThingTypeCommand({ thingTypeName: 'nothing' })))).name).toBe('ResourceNotFoundException');
  });

  it('deprecates a type (no new things of it), undoes that, and deletes it only deprecated and unused', async () => {
    await iot.send(new CreateThingCommand({ thingName: 'bulb-1', thingTypeName: 'lightbulb' }));
    await iot.send(new DeprecateThingTypeCommand({ thingTypeName: 'lightbulb' }));
    const deprecated = await iot.send(new DescribeThingTypeCommand({ thingTypeName: 'lightbulb' }));
    expect(deprecated.thingTypeMetadata).toMatchObject({ deprecated: true });
    expect(deprecated.thingTypeMetadata!.deprecationDate).toBeInstanceOf(Date);
    const refused = await rejectionOf(iot.send(new CreateThingCommand({ thingName: 'bulb-2', thingTypeName: 'lightbulb' })));
    expect(refused.name).toBe('InvalidRequestException');
    expect(refused.message).toContain('deprecated');
    const inUse = await rejectionOf(iot.send(new DeleteThingTypeCommand({ thingTypeName: 'lightbulb' })));
    expect(inUse.name).toBe('InvalidRequestException');
    expect(inUse.message).toContain('associated');

    await iot.send(new DeprecateThingTypeCommand({ thingTypeName: 'lightbulb', undoDeprecate: true }));
    expect((await iot.send(new DescribeThingTypeCommand({ thingTypeName: 'lightbulb' }))).thingTypeMetadata).toEqual({ deprecated: false, creationDate: expect.any(Date) });
    const notDeprecated = await rejectionOf(iot.send(new DeleteThingTypeCommand({ thingTypeName: 'lightbulb' })));
    expect(notDeprecated.name).toBe('InvalidRequestException');

    await iot.send(new UpdateThingCommand({ thingName: 'bulb-1', removeThingType: true }));
    await iot.send(new DeprecateThingTypeCommand({ thingTypeName: 'lightbulb' }));
    await iot.send(new DeleteThingTypeCommand({ thingTypeName: 'lightbulb' }));
    expect((await rejectionOf(iot.send(new DescribeThingTypeCommand({ thingTypeName: 'lightbulb' })))).name).toBe('ResourceNotFoundException');
    expect((await host.call('GET', '/api/deviceTemplates/lightbulb?api-version=2022-07-31')).status).toBe(404);
  });

  it('creates, describes, lists, updates and deletes billing groups with AWS errors', async () => {
    const created = await iot.send(new CreateBillingGroupCommand({ billingGroupName: 'dept-a', billingGroupProperties: { billingGroupDescription: 'A' } }));
    expect(created).toMatchObject({ billingGroupName: 'dept-a', billingGroupArn: billingGroupArn('dept-a') });
    expect((await iot.send(new CreateBillingGroupCommand({ billingGroupName: 'dept-a', billingGroupProperties: { billingGroupDescription: 'A' } }))).billingGroupId).toBe(created.billingGroupId);
    const different = await rejectionOf(iot.send(new CreateBillingGroupCommand({ billingGroupName: 'dept-a' })));
    expect(different.name).toBe('ResourceAlreadyExistsException');
    expect(different.message).toBe('Billing Group dept-a already exists in current account with different properties');
    await iot.send(new CreateBillingGroupCommand({ billingGroupName: 'dept-b' }));

    const described = await iot.send(new DescribeBillingGroupCommand({ billingGroupName: 'dept-a' }));
    expect(described).toMatchObject({ billingGroupName: 'dept-a', billingGroupId: created.billingGroupId, version: 1, billingGroupProperties: { billingGroupDescription: 'A' } });
    expect(described.billingGroupMetadata!.creationDate).toBeInstanceOf(Date);
    expect((await iot.send(new ListBillingGroupsCommand({}))).billingGroups).toEqual([
      { groupName: 'dept-a', groupArn: billingGroupArn('dept-a') },
      { groupName: 'dept-b', groupArn: billingGroupArn('dept-b') },
    ]);
    expect((await iot.send(new ListBillingGroupsCommand({ namePrefixFilter: 'dept-b' }))).billingGroups).toHaveLength(1);

    expect((await iot.send(new UpdateBillingGroupCommand({ billingGroupName: 'dept-a', expectedVersion: 1, billingGroupProperties: { billingGroupDescription: 'Dept A' } }))).version).toBe(2);
    const stale = await rejectionOf(iot.send(new UpdateBillingGroupCommand({ billingGroupName: 'dept-a', expectedVersion: 1, billingGroupProperties: {} })));
    expect(stale.name).toBe('VersionConflictException');
    expect((await rejectionOf(iot.send(new DescribeBillingGroupCommand({ billingGroupName: 'nobody' })))).name).toBe('ResourceNotFoundException');
  });

  it('puts things in one billing group at a time, from CreateThing or AddThingToBillingGroup, and lists them', async () => {
    await iot.send(new CreateThingCommand({ thingName: 'bulb-9', billingGroupName: 'dept-a' }));
    expect((await iot.send(new DescribeThingCommand({ thingName: 'bulb-9' }))).billingGroupName).toBe('dept-a');
    const unknown = await rejectionOf(iot.send(new CreateThingCommand({ thingName: 'bulb-10', billingGroupName: 'nobody' })));
    expect(unknown.name).toBe('ResourceNotFoundException');

    await iot.send(new AddThingToBillingGroupCommand({ billingGroupName: 'dept-a', thingName: 'meter-1' }));
    await iot.send(new AddThingToBillingGroupCommand({ billingGroupArn: billingGroupArn('dept-b'), thingArn: thingArn('meter-2') }));
    expect((await iot.send(new ListThingsInBillingGroupCommand({ billingGroupName: 'dept-a' }))).things).toEqual(['bulb-9', 'meter-1']);
    // Joining another billing group leaves the first.
    await iot.send(new AddThingToBillingGroupCommand({ billingGroupName: 'dept-b', thingName: 'meter-1' }));
    expect((await iot.send(new ListThingsInBillingGroupCommand({ billingGroupName: 'dept-a' }))).things).toEqual(['bulb-9']);
    expect((await iot.send(new ListThingsInBillingGroupCommand({ billingGroupName: 'dept-b' }))).things).toEqual(['meter-2', 'meter-1']);

    await iot.send(new RemoveThingFromBillingGroupCommand({ billingGroupName: 'dept-b', thingName: 'meter-2' }));
    expect((await iot.send(new DescribeThingCommand({ thingName: 'meter-2' }))).billingGroupName).toBeUndefined();
    expect((await rejectionOf(iot.send(new AddThingToBillingGroupCommand({ billingGroupName: 'dept-a', thingName: 'ghost' })))).name).toBe('ResourceNotFoundException');
    expect((await rejectionOf(iot.send(new AddThingToBillingGroupCommand({ billingGroupName: 'nobody', thingName: 'meter-2' })))).name).toBe('ResourceNotFoundException');

    await iot.send(new DeleteThingCommand({ thingName: 'bulb-9' }));
    expect((await iot.send(new ListThingsInBillingGroupCommand({ billingGroupName: 'dept-a' }))).things).toEqual([]);
    await iot.send(new DeleteBillingGroupCommand({ billingGroupName: 'dept-b' }));
    expect((await iot.send(new DescribeThingCommand({ thingName: 'meter-1' }))).billingGroupName).toBeUndefined();
    await iot.send(new DeleteBillingGroupCommand({ billingGroupName: 'dept-b' }));
    expect((await rejectionOf(iot.send(new ListThingsInBillingGroupCommand({ billingGroupName: 'dept-b' })))).name).toBe('ResourceNotFoundException');
  });
});
