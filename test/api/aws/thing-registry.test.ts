import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteThingCommand,
  DescribeThingCommand,
  ListThingGroupsForThingCommand,
  ListThingsInThingGroupCommand,
  UpdateThingCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { createFleet, iotClient, rejectionOf } from './aws-client.js';

describe('AWS IoT UpdateThing and DeleteThing', () => {
  let host: TestHost;
  let iot: IoTClient;

  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    await createFleet(host, 'valve', 3, 'valve-type');
    await createFleet(host, 'pump', 1, 'pump-type');
    await iot.send(new CreateThingCommand({ thingName: 'sensor-1', attributePayload: { attributes: { color: 'red', size: 'L' } } }));
  });
  afterAll(() => host.stop());

  it('merges attributes (an empty value deletes one), replaces them without merge, and counts versions', async () => {
    await iot.send(new UpdateThingCommand({ thingName: 'sensor-1', expectedVersion: 1, attributePayload: { attributes: { size: '', shape: 'round' }, merge: true } }));
    expect(await iot.send(new DescribeThingCommand({ thingName: 'sensor-1' }))).toMatchObject({ attributes: { color: 'red', shape: 'round' }, version: 2 });
    await iot.send(new UpdateThingCommand({ thingName: 'sensor-1', attributePayload: { attributes: { site: 'north', color: '' } } }));
    expect(await iot.send(new DescribeThingCommand({ thingName: 'sensor-1' }))).toMatchObject({ attributes: { site: 'north' }, version: 3 });
    const stale = await rejectionOf(iot.send(new UpdateThingCommand({ thingName: 'sensor-1', expectedVersion: 2, attributePayload: { attributes: { a: 'b' } } })));
    expect(stale.name).toBe('VersionConflictException');
    expect(stale.$metadata.httpStatusCode).toBe(409);
    expect((await iot.send(new DescribeThingCommand({ thingName: 'sensor-1' }))).version).toBe(3);
  });

  it('changes a fleet thing type (its device template) and removes it; both at once is refused, naming the members', async () => {
    await iot.send(new UpdateThingCommand({ thingName: 'valve-2', thingTypeName: 'pump-type' }));
    expect(await iot.send(new DescribeThingCommand({ thingName: 'valve-2' }))).toMatchObject({ thingTypeName: 'pump-type', version: 2 });
    const device = await host.call('GET', '/api/devices/valve-2?api-version=2022-07-31');
    expect(await device.json()).toMatchObject({ template: 'pump-type' });
    await iot.send(new UpdateThingCommand({ thingName: 'valve-2', removeThingType: true }));
    expect((await iot.send(new DescribeThingCommand({ thingName: 'valve-2' }))).thingTypeName).toBeUndefined();
    const both = await rejectionOf(iot.send(new UpdateThingCommand({ thingName: 'valve-2', thingTypeName: 'pump-type', removeThingType: true })));
    expect(both.name).toBe('InvalidRequestException');
    expect(both.message).toContain('thingTypeName');
    expect((await rejectionOf(iot.send(new UpdateThingCommand({ thingName: 'valve-2', thingTypeName: 'no-such-type' })))).name).toBe('ResourceNotFoundException');
    expect((await rejectionOf(iot.send(new UpdateThingCommand({ thingName: 'ghost', attributePayload: { attributes: {} } })))).name).toBe('ResourceNotFoundException');
  });

  it('deletes a thing with its device and memberships; a missing thing is no error, a stale version is', async () => {
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'valves' }));
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'valves', thingName: 'valve-3' }));
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'valves', thingName: 'valve-1' }));
    const stale = await rejectionOf(iot.send(new DeleteThingCommand({ thingName: 'valve-3', expectedVersion: 4 })));
    expect(stale.name).toBe('VersionConflictException');

    await iot.send(new DeleteThingCommand({ thingName: 'valve-3', expectedVersion: 1 }));
    expect((await rejectionOf(iot.send(new DescribeThingCommand({ thingName: 'valve-3' })))).name).toBe('ResourceNotFoundException');
    expect((await host.call('GET', '/api/devices/valve-3?api-version=2022-07-31')).status).toBe(404);
    expect((await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'valves' }))).things).toEqual(['valve-1']);
    await iot.send(new DeleteThingCommand({ thingName: 'valve-3' }));

    // A thing created again under the name starts without the old one's attributes or groups.
    await iot.send(new DeleteThingCommand({ thingName: 'sensor-1' }));
    await iot.send(new CreateThingCommand({ thingName: 'valve-3' }));
    await iot.send(new CreateThingCommand({ thingName: 'sensor-1' }));
    expect(await iot.send(new DescribeThingCommand({ thingName: 'sensor-1' }))).toMatchObject({ attributes: {}, version: 1 });
    expect((await iot.send(new ListThingGroupsForThingCommand({ thingName: 'valve-3' }))).thingGroups).toEqual([]);
  });

  it('does not give a thing created again the groups of a device IoT Central deleted under that name', async () => {
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'valves', thingName: 'valve-2' }));
    expect((await host.call('DELETE', '/api/devices/valve-2?api-version=2022-07-31')).status).toBe(204);
    expect((await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'valves' }))).things).toEqual(['valve-1']);
    await iot.send(new CreateThingCommand({ thingName: 'valve-2' }));
    expect((await iot.send(new ListThingGroupsForThingCommand({ thingName: 'valve-2' }))).thingGroups).toEqual([]);
    expect((await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'valves' }))).things).toEqual(['valve-1']);
  });
});
