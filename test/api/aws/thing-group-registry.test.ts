import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteThingGroupCommand,
  DescribeThingGroupCommand,
  ListThingGroupsCommand,
  ListThingGroupsForThingCommand,
  ListThingsInThingGroupCommand,
  RemoveThingFromThingGroupCommand,
  UpdateThingGroupCommand,
  UpdateThingGroupsForThingCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { iotClient, rejectionOf, thingArn, thingGroupArn } from './aws-client.js';

const namesOf = (groups: { groupName?: string }[] | undefined) => (groups ?? []).map((group) => group.groupName);

describe('AWS IoT thing group registry operations', () => {
  let host: TestHost;
  let iot: IoTClient;

  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    // site > building > floor, and a second root.
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'site', thingGroupProperties: { thingGroupDescription: 'Site', attributePayload: { attributes: { region: 'eu', tier: 'gold' } } } }));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'site-building', parentGroupName: 'site' }));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'site-floor', parentGroupName: 'site-building' }));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'spare' }));
    for (const thingName of ['lamp-1', 'lamp-2', 'lamp-3']) await iot.send(new CreateThingCommand({ thingName }));
  });
  afterAll(() => host.stop());

  it('lists groups: all by default, roots only without recursion, a parent children or descendants, by name prefix', async () => {
    expect(namesOf((await iot.send(new ListThingGroupsCommand({}))).thingGroups)).toEqual(['site', 'site-building', 'site-floor', 'spare']);
    expect(namesOf((await iot.send(new ListThingGroupsCommand({ recursive: false }))).thingGroups)).toEqual(['site', 'spare']);
    expect(namesOf((await iot.send(new ListThingGroupsCommand({ parentGroup: 'site', recursive: false }))).thingGroups)).toEqual(['site-building']);
    expect(namesOf((await iot.send(new ListThingGroupsCommand({ parentGroup: 'site' }))).thingGroups)).toEqual(['site-building', 'site-floor']);
    expect(namesOf((await iot.send(new ListThingGroupsCommand({ namePrefixFilter: 'site-' }))).thingGroups)).toEqual(['site-building', 'site-floor']);
    const first = await iot.send(new ListThingGroupsCommand({ maxResults: 3 }));
    expect(first.thingGroups![0]).toEqual({ groupName: 'site', groupArn: thingGroupArn('site') });
    expect(namesOf((await iot.send(new ListThingGroupsCommand({ nextToken: first.nextToken }))).thingGroups)).toEqual(['spare']);
    const unknownParent = await rejectionOf(iot.send(new ListThingGroupsCommand({ parentGroup: 'nowhere' })));
    expect(unknownParent.name).toBe('ResourceNotFoundException');
  });

  it('describes a group with its properties, version and the path from the root to its parent', async () => {
    const floor = await iot.send(new DescribeThingGroupCommand({ thingGroupName: 'site-floor' }));
    expect(floor).toMatchObject({ thingGroupName: 'site-floor', thingGroupArn: thingGroupArn('site-floor'), version: 1 });
    expect(floor.thingGroupMetadata).toMatchObject({
      parentGroupName: 'site-building',
      rootToParentThingGroups: [
        { groupName: 'site', groupArn: thingGroupArn('site') },
        { groupName: 'site-building', groupArn: thingGroupArn('site-building') },
      ],
    });
    expect(floor.thingGroupMetadata!.creationDate).toBeInstanceOf(Date);
    const site = await iot.send(new DescribeThingGroupCommand({ thingGroupName: 'site' }));
    expect(site.thingGroupProperties).toEqual({ thingGroupDescription: 'Site', attributePayload: { attributes: { region: 'eu', tier: 'gold' } } });
    expect(site.thingGroupMetadata!.rootToParentThingGroups).toEqual([]);
    expect((await rejectionOf(iot.send(new DescribeThingGroupCommand({ thingGroupName: 'nowhere' })))).name).toBe('ResourceNotFoundException');
  });

  it('updates a group: merged or replaced attributes, an empty value deletes, versions guard the change', async () => {
    const merged = await iot.send(
      new UpdateThingGroupCommand({ thingGroupName: 'site', expectedVersion: 1, thingGroupProperties: { attributePayload: { attributes: { tier: '', floors: '3' }, merge: true } } }),
    );
    expect(merged.version).toBe(2);
    expect((await iot.send(new DescribeThingGroupCommand({ thingGroupName: 'site' }))).thingGroupProperties).toEqual({
      thingGroupDescription: 'Site',
      attributePayload: { attributes: { region: 'eu', floors: '3' } },
    });
    const replaced = await iot.send(new UpdateThingGroupCommand({ thingGroupName: 'site', thingGroupProperties: { thingGroupDescription: 'Main site', attributePayload: { attributes: { owner: 'ops' } } } }));
    expect(replaced.version).toBe(3);
    expect((await iot.send(new DescribeThingGroupCommand({ thingGroupName: 'site' }))).thingGroupProperties).toEqual({
      thingGroupDescription: 'Main site',
      attributePayload: { attributes: { owner: 'ops' } },
    });
    const stale = await rejectionOf(iot.send(new UpdateThingGroupCommand({ thingGroupName: 'site', expectedVersion: 1, thingGroupProperties: { thingGroupDescription: 'x' } })));
    expect(stale.name).toBe('VersionConflictException');
    expect(stale.$metadata.httpStatusCode).toBe(409);
    const missing = await rejectionOf(iot.send(new UpdateThingGroupCommand({ thingGroupName: 'nowhere', thingGroupProperties: {} })));
    expect(missing.name).toBe('ResourceNotFoundException');
  });

  it('adds and removes things one at a time or several groups at once, and lists a thing groups', async () => {
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'site-building', thingName: 'lamp-1' }));
    await iot.send(new UpdateThingGroupsForThingCommand({ thingName: 'lamp-2', thingGroupsToAdd: ['site-floor', 'spare'] }));
    await iot.send(new UpdateThingGroupsForThingCommand({ thingName: 'lamp-1', thingGroupsToAdd: ['spare'], thingGroupsToRemove: ['site-building'] }));
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'site-floor', thingName: 'lamp-3' }));
    await iot.send(new RemoveThingFromThingGroupCommand({ thingGroupArn: thingGroupArn('site-floor'), thingArn: thingArn('lamp-3') }));
    // Removing a thing that is no member is no error.
    await iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: 'site-floor', thingName: 'lamp-3' }));

    const ofLamp2 = await iot.send(new ListThingGroupsForThingCommand({ thingName: 'lamp-2' }));
    expect(ofLamp2.thingGroups).toEqual([
      { groupName: 'site-floor', groupArn: thingGroupArn('site-floor') },
      { groupName: 'spare', groupArn: thingGroupArn('spare') },
    ]);
    expect(namesOf((await iot.send(new ListThingGroupsForThingCommand({ thingName: 'lamp-1' }))).thingGroups)).toEqual(['spare']);
    expect((await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'site' }))).things).toEqual([]);
    expect((await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'site', recursive: true }))).things).toEqual(['lamp-2']);
    expect((await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'spare' }))).things).toEqual(['lamp-2', 'lamp-1']);

    const unknownGroup = await rejectionOf(iot.send(new UpdateThingGroupsForThingCommand({ thingName: 'lamp-3', thingGroupsToAdd: ['spare', 'nowhere'] })));
    expect(unknownGroup.name).toBe('ResourceNotFoundException');
    expect(namesOf((await iot.send(new ListThingGroupsForThingCommand({ thingName: 'lamp-3' }))).thingGroups)).toEqual([]);
    expect((await rejectionOf(iot.send(new ListThingGroupsForThingCommand({ thingName: 'ghost' })))).name).toBe('ResourceNotFoundException');
    expect((await rejectionOf(iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: 'spare', thingName: 'ghost' })))).name).toBe('ResourceNotFoundException');
  });

  it('refuses to delete a group with child groups, deletes a leaf with its memberships, and takes a missing one quietly', async () => {
    const withChildren = await rejectionOf(iot.send(new DeleteThingGroupCommand({ thingGroupName: 'site-building' })));
    expect(withChildren.name).toBe('InvalidRequestException');
    expect(withChildren.message).toBe('Cannot delete thing group : site-building when there are still child groups attached to it');
    const stale = await rejectionOf(iot.send(new DeleteThingGroupCommand({ thingGroupName: 'site-floor', expectedVersion: 7 })));
    expect(stale.name).toBe('VersionConflictException');

    await iot.send(new DeleteThingGroupCommand({ thingGroupName: 'site-floor', expectedVersion: 1 }));
    expect((await rejectionOf(iot.send(new DescribeThingGroupCommand({ thingGroupName: 'site-floor' })))).name).toBe('ResourceNotFoundException');
    expect(namesOf((await iot.send(new ListThingGroupsForThingCommand({ thingName: 'lamp-2' }))).thingGroups)).toEqual(['spare']);
    await iot.send(new DeleteThingGroupCommand({ thingGroupName: 'site-building' }));
    await iot.send(new DeleteThingGroupCommand({ thingGroupName: 'site-floor' }));
    // A group created again under a deleted group's name starts empty.
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'site-floor' }));
    expect((await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'site-floor' }))).things).toEqual([]);
  });
});
