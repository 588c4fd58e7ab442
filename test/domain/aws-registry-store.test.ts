import { silentLog, Supervisor } from '../../electron/domain/background.js';
import { MembershipChanges } from '../../electron/domain/groups/membership-changes.js';
import { describe, expect, it } from 'vitest';
import { ApiTokens } from '../../electron/domain/api-tokens.js';
import { ThingGroupMembers } from '../../electron/domain/aws/thing-group-members.js';
import { ThingGroups } from '../../electron/domain/aws/thing-groups.js';
import { EXTERNAL_ATTRIBUTE, Things } from '../../electron/domain/aws/things.js';
import { memoryStore } from '../../electron/domain/persisted.js';
import { ADMINISTRATOR } from '../../electron/domain/roles.js';
import { StorageError } from '../../electron/store/storage-error.js';
import type { Durability } from '../../electron/store/store.js';
import { deviceServices, fixedClock, THERMOSTAT } from './devices-fixtures.js';

/** A disk that takes writes until `full` is set, then refuses them as ENOSPC would. */
function fillableDisk(): Durability & { full: boolean; appends: number } {
  return {
    full: false,
    appends: 0,
    async append() {
      if (this.full) throw new StorageError('full', 'The data dir is full.');
      this.appends++;
    },
    async rewrite() {},
    wantsCompaction: () => false,
    async close() {},
  };
}

async function registry() {
  const disk = fillableDisk();
  const store = memoryStore(disk);
  const { devices, templates } = await deviceServices({ store });
  const members = new ThingGroupMembers(store);
  const things = new Things(store, devices, templates, members);
  const groups = new ThingGroups(store, devices.index, things, members, fixedClock, new MembershipChanges(new Supervisor(silentLog)));
  return { disk, store, things, groups };
}

describe('AWS registry on the journaled store', () => {
  it('creates a thing and its attributes in one commit, and knows external things without scanning devices', async () => {
    const { disk, store, things } = await registry();
    const before = disk.appends;
    await things.create('pump-1', { typeName: THERMOSTAT, attributes: { site: 'north', [EXTERNAL_ATTRIBUTE]: 'true' } });
    expect(disk.appends - before).toBe(1);
    expect(things.describe('pump-1')).toMatchObject({ typeName: THERMOSTAT, attributes: { site: 'north' }, version: 1 });
    expect(store.repository('things').get('pump-1')).toEqual({ attributes: { site: 'north', [EXTERNAL_ATTRIBUTE]: 'true' }, version: 1 });
    expect(things.isExternal('pump-1')).toBe(true);
    await things.create('pump-2', {});
    expect(things.externalNames()).toEqual(['pump-1']);
  });

  it('applies nothing when the disk refuses a write, and the retry succeeds once it has room', async () => {
    const { disk, things, groups } = await registry();
    await groups.create('pumps', {});
    await things.create('pump-1', {});
    disk.full = true;
    await expect(things.create('pump-2', { attributes: { site: 'south' } })).rejects.toMatchObject({ failure: 'full' });
    expect(things.exists('pump-2')).toBe(false);
    await expect(groups.membership.addThing('pumps', 'pump-1')).rejects.toBeInstanceOf(StorageError);
    expect(groups.membership.membersOf('pumps', false)).toEqual([]);
    disk.full = false;
    await groups.membership.addThing('pumps', 'pump-1');
    expect(groups.membership.membersOf('pumps', false)).toEqual(['pump-1']);
  });

  it('finds child groups and groups by id from its index, and keeps members when a child group changes', async () => {
    const { things, groups } = await registry();
    const parent = await groups.create('plant', {});
    await groups.create('line-a', { parent: 'plant' });
    await groups.create('line-b', { parent: 'plant' });
    for (const name of ['m-1', 'm-2', 'm-3']) await things.create(name, {});
    await groups.membership.addThing('line-b', 'm-2');
    await groups.membership.addThing('line-a', 'm-1');
    await groups.membership.addThing('plant', 'm-3');
    // Children in creation order, whatever group got a member last.
    expect(groups.membership.membersOf('plant', true)).toEqual(['m-3', 'm-1', 'm-2']);
    expect(groups.findById(parent.id)?.name).toBe('plant');
    expect(groups.ancestorsOf('line-a')).toEqual(['plant']);
  });
});

describe('API tokens on the journaled store', () => {
  it('refuses an expiry in the past, naming it', async () => {
    const tokens = new ApiTokens(memoryStore(), fixedClock, 'app');
    await expect(tokens.create('old', [{ role: ADMINISTRATOR }], '2020-01-01T00:00:00Z')).rejects.toMatchObject({
      kind: 'InvalidInput',
      message: '"expiry" must be in the future, got "2020-01-01T00:00:00Z".',
    });
  });

  it('keeps no token the disk refused', async () => {
    const disk = fillableDisk();
    const tokens = new ApiTokens(memoryStore(disk), fixedClock, 'app');
    disk.full = true;
    await expect(tokens.create('lost', [])).rejects.toMatchObject({ failure: 'full' });
    expect(tokens.list()).toEqual([]);
  });
});
