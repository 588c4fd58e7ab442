import type { ThingGroupRecord } from '../../store/records.js';
import { invalid, notFound } from '../errors.js';
import type { DeviceSlice } from '../fleet-executor.js';
import { targetSlices } from '../groups/target-slices.js';
import type { MembershipChanges } from '../groups/membership-changes.js';
import { DeviceSet } from '../jobs/device-set.js';
import type { AppStore } from '../persisted.js';
import type { DynamicGroupMembers } from './dynamic-group-members.js';
import { memberKey } from './registry-records.js';
import { checkGroupsOfThing } from './registry-limits.js';
import type { ThingGroupMembers } from './thing-group-members.js';
import type { ThingGroupTree } from './thing-group-tree.js';
import type { Things } from './things.js';

/**
 * Which things a thing group holds: a static group's members, added and removed one by one and listed in the order
 * they joined (with its child groups' for a job), and a dynamic group's, which its query decides.
 */
export class ThingGroupMembership {
  constructor(
    private readonly store: AppStore,
    private readonly things: Things,
    private readonly members: ThingGroupMembers,
    private readonly dynamic: DynamicGroupMembers,
    private readonly tree: ThingGroupTree,
    /** Continuous jobs follow the things that join a group through it. */
    private readonly joins: MembershipChanges,
  ) {}

  /**
   * Adds a thing to a group; adding a member again stores nothing. The group's followers hear of it either way, so a
   * retry after a failed follow-up still reaches every continuous job (they skip things they already target).
   */
  async addThing(groupName: string, thingName: string): Promise<void> {
    await this.updateThingGroups(thingName, [groupName], []);
  }

  /** Removing a thing that is no member is no error. */
  async removeThing(groupName: string, thingName: string): Promise<void> {
    await this.updateThingGroups(thingName, [], [groupName]);
  }

  /** Every addition and removal in one commit, after checking every group exists. */
  async updateThingGroups(thingName: string, add: string[], remove: string[]): Promise<void> {
    for (const group of [...add, ...remove]) {
      this.group(group);
      if (this.dynamic.isDynamic(group)) throw invalid(`Thing group ${group} is dynamic: its query decides its things, which cannot be added or removed.`);
    }
    if (!this.things.exists(thingName)) throw notFound('Thing', thingName);
    const joining = add.filter((group) => !this.members.has(group, thingName));
    const leaving = remove.filter((group) => this.members.has(group, thingName) && !add.includes(group));
    const after = [...[...this.members.groupsOf(thingName)].filter((group) => !leaving.includes(group)), ...new Set(joining)];
    checkGroupsOfThing(thingName, after, (group) => this.tree.ancestorsOf(group).at(-1) ?? group);
    if (joining.length + leaving.length > 0) {
      await this.store.commit((tx) => {
        for (const group of joining) tx.put('thingGroupMembers', memberKey(group, thingName), { group, thing: thingName });
        for (const group of leaving) tx.delete('thingGroupMembers', memberKey(group, thingName));
      });
    }
    for (const group of add) await this.joins.deliver(group, [{ ids: [thingName] }]);
  }

  /** The thing's static groups in the order it joined them, then the dynamic groups it matches. */
  groupsOf(thingName: string): ThingGroupRecord[] {
    if (!this.things.exists(thingName)) throw notFound('Thing', thingName);
    return [...this.members.groupsOf(thingName), ...this.dynamic.groupsOf(thingName)].map((name) => this.group(name));
  }

  /** The group's things that still exist, in the order they were added; with `recursive`, its descendants' too. */
  membersOf(name: string, recursive: boolean): string[] {
    this.group(name);
    if (this.dynamic.isDynamic(name)) return new DeviceSet(this.dynamic.slicesOf(name)).ids(0, Number.MAX_SAFE_INTEGER);
    const names = new Set([...this.members.thingsOf(name)].filter((thing) => this.things.exists(thing)));
    if (recursive) for (const child of this.tree.childrenOf(name)) for (const thing of this.membersOf(child, true)) names.add(thing);
    return [...names];
  }

  /** Things at positions [offset, offset + limit) of membersOf, with whether more follow; a dynamic group's page costs O(page). */
  memberPage(name: string, recursive: boolean, offset: number, limit: number): { things: string[]; more: boolean } {
    if (!this.dynamic.isDynamic(name)) {
      const all = this.membersOf(name, recursive);
      return { things: all.slice(offset, offset + limit), more: offset + limit < all.length };
    }
    const members = new DeviceSet(this.dynamic.slicesOf(name));
    return { things: members.ids(offset, offset + limit), more: offset + limit < members.size };
  }

  /**
   * The group's things (with its descendants') as the engine takes them: a dynamic group's resolved ranges as they
   * are, a static group's members in the order they joined with fleet runs as ranges.
   */
  slicesOf(name: string): DeviceSlice[] {
    this.group(name);
    if (this.dynamic.isDynamic(name)) return this.dynamic.slicesOf(name);
    return targetSlices(this.membersOf(name, true), (id) => this.things.fleetPlaceOf(id));
  }

  /** How many things the group holds, with its descendants'. */
  memberCount(name: string): number {
    return this.dynamic.isDynamic(name) ? this.dynamic.size(name) : this.membersOf(name, true).length;
  }

  private group(name: string): ThingGroupRecord {
    const group = this.store.repository('thingGroups').get(name);
    if (!group) throw notFound('Thing group', name);
    return group;
  }
}
