import {
  CreateDynamicThingGroupCommand,
  CreateJobCommand,
  CreateThingCommand,
  DeleteThingCommand,
  DescribeEndpointCommand,
  DescribeJobCommand,
  DescribeJobExecutionCommand,
  DescribeThingGroupCommand,
  ListThingGroupsForThingCommand,
  ListThingsInThingGroupCommand,
  SearchIndexCommand,
  UpdateDynamicThingGroupCommand,
  UpdateThingCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { createFleet, iotClient, thingGroupArn, useVirtualTime } from './aws-client.js';

const CENTRAL = '?api-version=2022-07-31';

describe('thing groups and device groups resolve through one fleet resolution', () => {
  let host: TestHost;
  let iot: IoTClient;
  const groupStatus = async (thingGroupName: string) => (await iot.send(new DescribeThingGroupCommand({ thingGroupName }))).status;
  const groupsOf = async (thingName: string) => (await iot.send(new ListThingGroupsForThingCommand({ thingName }))).thingGroups!.map((group) => group.groupName);
  /** Executions of the job in every status. */
  const targetsOf = async (jobId: string) => {
    const details = (await iot.send(new DescribeJobCommand({ jobId }))).job!.jobProcessDetails!;
    return Object.entries(details).reduce((sum, [key, value]) => (key.startsWith('numberOf') ? sum + (value as number) : sum), 0);
  };
  const allMembers = async (thingGroupName: string) => {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await iot.send(new ListThingsInThingGroupCommand({ thingGroupName, maxResults: 250, nextToken }));
      names.push(...page.things!);
      nextToken = page.nextToken;
    } while (nextToken);
    return names;
  };

  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    await useVirtualTime(host);
    await createFleet(host, 'meter', 1_000_000, 'meter-type');
    await createFleet(host, 'pump', 40, 'pump-type');
  });
  afterAll(() => host.stop());

  it('builds a dynamic group that must visit every thing in steps: BUILDING, then ACTIVE, answering requests meanwhile', async () => {
    await iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'meters-1', queryString: 'thingName:meter-1*' }));
    expect(await groupStatus('meters-1')).toBe('BUILDING');
    // A continuous job on the group while it builds takes what is found so far, and the rest once it is built.
    await iot.send(new CreateJobCommand({ jobId: 'read-ones', targets: [thingGroupArn('meters-1')], document: '{"operation":"read"}', targetSelection: 'CONTINUOUS' }));
    const latencies: number[] = [];
    do {
      const sent = performance.now();
      await iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }));
      latencies.push(performance.now() - sent);
    } while ((await groupStatus('meters-1')) !== 'ACTIVE');
    // Visiting a million things at once holds the event loop for seconds; in steps no request waits for more than a step or two.
    expect(Math.max(...latencies)).toBeLessThan(250);
    // meter-1, -10..-19, -100..-199, …, -100000..-199999, -1000000
    await expect.poll(() => targetsOf('read-ones'), { timeout: 15_000 }).toBe(111_112);
    const page = await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'meters-1', maxResults: 3 }));
    expect(page.things).toEqual(['meter-1', 'meter-10', 'meter-11']);
    expect(await groupsOf('meter-199999')).toEqual(['meters-1']);
    expect(await groupsOf('meter-200000')).toEqual([]);
    expect(await groupsOf('meter-1000000')).toEqual(['meters-1']);

    // A new query is resolved the same way; until it is, the group keeps its old members.
    await iot.send(new UpdateDynamicThingGroupCommand({ thingGroupName: 'meters-1', thingGroupProperties: {}, queryString: 'thingName:meter-2*' }));
    expect(await groupStatus('meters-1')).toBe('REBUILDING');
    expect(await groupsOf('meter-199999')).toEqual(['meters-1']);
    await expect.poll(() => groupStatus('meters-1'), { timeout: 15_000 }).toBe('ACTIVE');
    expect(await groupsOf('meter-199999')).toEqual([]);
    expect(await groupsOf('meter-200000')).toEqual(['meters-1']);
  });

  it('resolves dynamic groups again after a restart, and their continuous jobs keep following them', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-groups-'));
    try {
      let again = await startTestHost({ dataDir });
      let client = iotClient(again);
      await createFleet(again, 'tank', 50_000, 'tank-type');
      await client.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'odd-tanks', queryString: 'thingName:tank-*1' }));
      await client.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'full-tanks', queryString: 'attributes.level:full' }));
      await client.send(new CreateJobCommand({ jobId: 'drain', targets: [thingGroupArn('full-tanks')], document: '{"operation":"drain"}', targetSelection: 'CONTINUOUS' }));
      await again.stop();

      again = await startTestHost({ dataDir });
      client = iotClient(again);
      await expect.poll(async () => (await client.send(new DescribeThingGroupCommand({ thingGroupName: 'odd-tanks' }))).status, { timeout: 15_000 }).toBe('ACTIVE');
      const groups = async (thingName: string) => (await client.send(new ListThingGroupsForThingCommand({ thingName }))).thingGroups!.map((group) => group.groupName);
      expect(await groups('tank-49991')).toEqual(['odd-tanks']);
      await client.send(new UpdateThingCommand({ thingName: 'tank-7', attributePayload: { attributes: { level: 'full' } } }));
      const drained = () =>
        client.send(new DescribeJobExecutionCommand({ jobId: 'drain', thingName: 'tank-7' })).then((out) => out.execution!.status, (error: { name: string }) => error.name);
      await expect.poll(drained).not.toBe('ResourceNotFoundException');
      expect(await groups('tank-7')).toEqual(['full-tanks']);
      await again.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('decides a million-thing fleet by its shared fields at once, and its continuous job follows things that join and leave', async () => {
    await iot.send(new CreateThingCommand({ thingName: 'spare-meter', thingTypeName: 'meter-type', attributePayload: { attributes: { retired: 'true' } } }));
    const created = performance.now();
    await iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'live-meters', queryString: 'thingTypeName:meter-type AND NOT attributes.retired:true' }));
    expect(await groupStatus('live-meters')).toBe('ACTIVE');
    expect(performance.now() - created).toBeLessThan(1000);
    await iot.send(new CreateJobCommand({ jobId: 'read-meters', targets: [thingGroupArn('live-meters')], document: '{"operation":"read"}', targetSelection: 'CONTINUOUS' }));
    const statusOf = (thingName: string) =>
      iot.send(new DescribeJobExecutionCommand({ jobId: 'read-meters', thingName })).then((out) => out.execution!.status, (error: { name: string }) => error.name);
    expect(await statusOf('meter-1000000')).not.toBe('ResourceNotFoundException');
    expect(await statusOf('spare-meter')).toBe('ResourceNotFoundException');

    await iot.send(new UpdateThingCommand({ thingName: 'spare-meter', attributePayload: { attributes: { retired: '' }, merge: true } }));
    await expect.poll(() => statusOf('spare-meter')).not.toBe('ResourceNotFoundException');
    expect(await groupsOf('spare-meter')).toEqual(['live-meters']);

    // A burst of things that start to match at once: each gets one execution.
    const burst = Array.from({ length: 200 }, (_, i) => `burst-${i + 1}`);
    for (const thingName of burst) await iot.send(new CreateThingCommand({ thingName, thingTypeName: 'meter-type', attributePayload: { attributes: { retired: 'true' } } }));
    const before = await targetsOf('read-meters');
    await Promise.all(burst.map((thingName) => iot.send(new UpdateThingCommand({ thingName, attributePayload: { attributes: { retired: '' }, merge: true } }))));
    await expect.poll(() => targetsOf('read-meters')).toBe(before + 200);
    expect(await statusOf('burst-200')).not.toBe('ResourceNotFoundException');

    await iot.send(new UpdateThingCommand({ thingName: 'meter-5', attributePayload: { attributes: { retired: 'true' }, merge: true } }));
    await expect.poll(() => groupsOf('meter-5')).toEqual([]);
    expect(await groupsOf('meter-6')).toEqual(['live-meters']);
    // A new fleet of that type joins the group, and the job, as ranges: no thing of it is visited.
    await createFleet(host, 'new-meter', 200_000, 'meter-type');
    await expect.poll(() => statusOf('new-meter-200000')).not.toBe('ResourceNotFoundException');
    expect(await groupsOf('new-meter-1')).toEqual(['live-meters']);

    // SearchIndex resolves the same way: the one retired thing among a million, found without visiting the others.
    const searched = performance.now();
    const retired = await iot.send(new SearchIndexCommand({ queryString: 'attributes.retired:true' }));
    expect(retired.things!.map((thing) => thing.thingName)).toEqual(['meter-5']);
    expect(performance.now() - searched).toBeLessThan(1000);
  });

  it('gives an IoT Central device group and an AWS dynamic group on the same fields the same members', async () => {
    await iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'pumps', queryString: 'thingTypeName:pump-type' }));
    expect((await host.call('PUT', `/api/deviceGroups/pumps${CENTRAL}`, { displayName: 'Pumps', filter: 'SELECT * FROM devices WHERE $template = "pump-type"' })).status).toBe(200);
    const centralMembers = async () => {
      const body = (await (await host.call('GET', `/api/deviceGroups/pumps/devices${CENTRAL}`)).json()) as { value: { id: string }[] };
      return body.value.map((device) => device.id).sort();
    };

    // Changes through either dialect: a deletion each, a thing that loses its type, a device that gains it.
    expect((await host.call('DELETE', `/api/devices/pump-4${CENTRAL}`)).status).toBe(204);
    await iot.send(new DeleteThingCommand({ thingName: 'pump-5' }));
    await iot.send(new UpdateThingCommand({ thingName: 'pump-6', removeThingType: true }));
    expect((await host.call('PUT', `/api/devices/extra-pump${CENTRAL}`, { displayName: 'Extra pump', template: 'pump-type', simulated: true })).status).toBe(200);

    const expected = ['extra-pump', ...Array.from({ length: 40 }, (_, i) => `pump-${i + 1}`).filter((id) => !['pump-4', 'pump-5', 'pump-6'].includes(id))].sort();
    await expect.poll(async () => (await allMembers('pumps')).sort()).toEqual(expected);
    expect(await centralMembers()).toEqual(expected);
  });
});
