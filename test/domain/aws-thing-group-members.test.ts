import { silentLog, Supervisor } from '../../electron/domain/background.js';
import { MembershipChanges } from '../../electron/domain/groups/membership-changes.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ThingGroupMembers } from '../../electron/domain/aws/thing-group-members.js';
import { ThingGroups } from '../../electron/domain/aws/thing-groups.js';
import { Things } from '../../electron/domain/aws/things.js';
import { memoryStore, openFleetlabStore } from '../../electron/domain/persisted.js';
import type { ChangeListener } from '../../electron/store/store.js';
import { deviceServices, fixedClock } from './devices-fixtures.js';

describe('thing group membership', () => {
  it('reads a schema 2 data file, making each group list of things one membership record per thing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fleetlab-members-'));
    const group = (name: string, things: string[], parent?: string) => ({ name, id: `id-${name}`, createdAt: 1, version: 1, things, ...(parent && { parent }) });
    await writeFile(
      path.join(dir, 'fleetlab.json'),
      JSON.stringify({ schemaVersion: 2, fleets: [], devices: {}, thingGroups: { plant: group('plant', ['m-1', 'm-2']), line: group('line', ['m-2'], 'plant') } }),
    );
    const store = await openFleetlabStore(dir);
    expect(store.repository('thingGroupMembers').list()).toEqual([
      { group: 'plant', thing: 'm-1' },
      { group: 'plant', thing: 'm-2' },
      { group: 'line', thing: 'm-2' },
    ]);
    expect(store.repository('thingGroupMembers').ids()).toEqual(['plant/m-1', 'plant/m-2', 'line/m-2']);
    expect(store.repository('thingGroups').get('line')).toEqual({ name: 'line', id: 'id-line', createdAt: 1, version: 1, parent: 'plant' });
    await store.close();
  });

  it('upgrades a thing group that a journal line written before the upgrade still puts with its list of things', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fleetlab-members-'));
    await writeFile(path.join(dir, 'fleetlab.json'), JSON.stringify({ schemaVersion: 2, journal: 1, fleets: [], devices: {}, thingGroups: {} }));
    const put = { op: 'put', collection: 'thingGroups', id: 'pumps', record: { name: 'pumps', id: 'id-pumps', createdAt: 1, version: 1, things: ['p-1', 'p-2'] } };
    await writeFile(path.join(dir, 'fleetlab-journal-1.jsonl'), `${JSON.stringify([put])}\n`);
    const store = await openFleetlabStore(dir);
    expect(store.repository('thingGroupMembers').ids()).toEqual(['pumps/p-1', 'pumps/p-2']);
    expect(store.repository('thingGroups').get('pumps')).toEqual({ name: 'pumps', id: 'id-pumps', createdAt: 1, version: 1 });
    await store.close();
  });

  it('adds a thing to a large group with one small write that names only that membership', async () => {
    const store = memoryStore();
    const { devices, templates } = await deviceServices({ store });
    const members = new ThingGroupMembers(store);
    const things = new Things(store, devices, templates, members);
    const groups = new ThingGroups(store, devices.index, things, members, fixedClock, new MembershipChanges(new Supervisor(silentLog)));
    await groups.create('big', {});
    for (let n = 1; n <= 200; n++) await things.create(`t-${n}`, {});
    for (let n = 1; n < 200; n++) await groups.membership.addThing('big', `t-${n}`);
    const changes: Parameters<ChangeListener>[0][] = [];
    store.subscribe((change) => changes.push(change));
    await groups.membership.addThing('big', 't-200');
    expect(changes).toEqual([{ op: 'put', collection: 'thingGroupMembers', id: 'big/t-200', record: { group: 'big', thing: 't-200' } }]);
    expect(groups.membership.membersOf('big', false)).toHaveLength(200);
    await groups.membership.addThing('big', 't-200');
    expect(changes).toHaveLength(1);
  });
});
