import { randomUUID } from 'node:crypto';
import type { ThingGroupRecord } from '../../store/records.js';
import type { Repository } from '../../store/store.js';
import type { Clock } from '../clock.js';
import { conflict, invalid, notFound } from '../errors.js';
import { silentLog, Supervisor } from '../background.js';
import type { AppStore } from '../persisted.js';
import { attributesAfter } from './attribute-merge.js';
import type { FleetIndex } from '../devices/fleet-index.js';
import type { DeviceSlice } from '../fleet-executor.js';
import { targetSlices } from '../groups/target-slices.js';
import type { MembershipChanges } from '../groups/membership-changes.js';
import { DeviceSet } from '../jobs/device-set.js';
import { DynamicGroupMembers, type DynamicGroupStatus } from './dynamic-group-members.js';
import { parseFleetQuery, QueryError } from './fleet-query.js';
import { memberKey } from './registry-records.js';
import { checkGroupsOfThing } from './registry-limits.js';
import type { ThingGroupMembers } from './thing-group-members.js';
import { ThingGroupTree } from './thing-group-tree.js';
import { sameAttributes, type Things } from './things.js';
import { checkExpectedVersion } from './versions.js';

export interface ThingGroupInput {
  description?: string;
  attributes?: Record<string, string>;
  parent?: string;
  tags?: { Key: string; Value?: string }[];
}

/** UpdateThingGroup: description and attributes (merged or replaced), guarded by the group's version. */
export interface ThingGroupUpdate {
  description?: string;
  attributes?: Record<string, string>;
  merge?: boolean;
  expectedVersion?: number;
}

/** A dynamic group's query; Fleetlab's one index is AWS_Things. */
export interface DynamicGroupQuery {
  queryString: string;
  queryVersion?: string;
  indexName?: string;
}

export const THINGS_INDEX = 'AWS_Things';
const QUERY_VERSION = '2017-09-30';

export interface ThingGroupListFilter {
  parentGroup?: string;
  namePrefix?: string;
  /** With a parent: its descendants too, not only its children; without one: every group, not only the roots. */
  recursive: boolean;
}

/** AWS IoT static thing groups, kept beside IoT Central's device groups: named sets of things, optionally nested. */
export class ThingGroups {
  private readonly tree: ThingGroupTree;
  private readonly dynamic: DynamicGroupMembers;

  constructor(
    private readonly store: AppStore,
    index: FleetIndex,
    private readonly things: Things,
    private readonly members: ThingGroupMembers,
    private readonly clock: Clock,
    /** Continuous jobs follow the things that join a group through it. */
    readonly joins: MembershipChanges,
    /** Builds dynamic groups' members and tells continuous jobs of things that start to match, which no request waits for. */
    background: Supervisor = new Supervisor(silentLog),
  ) {
    this.tree = new ThingGroupTree(store);
    this.dynamic = new DynamicGroupMembers(store, index, things, members, joins, background);
  }

  /** Stops building dynamic groups' members: the host is closing. */
  close(): void {
    this.dynamic.close();
  }

  private get records(): Repository<ThingGroupRecord> {
    return this.store.repository('thingGroups');
  }

  get(name: string): ThingGroupRecord {
    const group = this.records.get(name);
    if (!group) throw notFound('Thing group', name);
    return group;
  }

  find(name: string): ThingGroupRecord | undefined {
    return this.records.get(name);
  }

  list(): ThingGroupRecord[] {
    return this.records.list();
  }

  /** ListThingGroups: the roots' (or the parent's) children, breadth first with `recursive`, filtered by name prefix. */
  listFiltered(filter: ThingGroupListFilter): ThingGroupRecord[] {
    if (filter.parentGroup !== undefined) this.get(filter.parentGroup);
    let names: string[];
    if (filter.parentGroup === undefined && filter.recursive) names = this.records.ids();
    else {
      names = filter.parentGroup === undefined ? this.records.list().filter((group) => group.parent === undefined).map((group) => group.name) : this.tree.childrenOf(filter.parentGroup);
      if (filter.recursive) for (let i = 0; i < names.length; i++) names.push(...this.tree.childrenOf(names[i]!));
    }
    return names.filter((name) => filter.namePrefix === undefined || name.startsWith(filter.namePrefix)).map((name) => this.get(name));
  }

  findById(id: string): ThingGroupRecord | undefined {
    const name = this.tree.nameOf(id);
    return name === undefined ? undefined : this.records.get(name);
  }

  /** Creates a group; asking again with the same properties answers the existing group. */
  async create(name: string, input: ThingGroupInput): Promise<ThingGroupRecord> {
    const existing = this.records.get(name);
    if (existing) {
      if (existing.query === undefined && existing.parent === input.parent && existing.description === input.description && sameAttributes(existing.attributes, input.attributes)) {
        return existing;
      }
      throw conflict(`Thing Group ${name} already exists in current account with different properties`);
    }
    if (input.parent !== undefined && this.get(input.parent).query !== undefined) {
      throw invalid(`Thing group ${input.parent} is dynamic; a dynamic group cannot have child groups.`);
    }
    const group: ThingGroupRecord = {
      name,
      id: randomUUID(),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.attributes !== undefined && { attributes: input.attributes }),
      ...(input.parent !== undefined && { parent: input.parent }),
      ...(input.tags !== undefined && { tags: input.tags }),
      createdAt: this.clock.now(),
      version: 1,
    };
    await this.store.commit((tx) => tx.put('thingGroups', name, group));
    return group;
  }

  /** CreateDynamicThingGroup: a group whose members are the things its fleet-indexing query matches. */
  async createDynamic(name: string, input: Omit<ThingGroupInput, 'parent'> & DynamicGroupQuery): Promise<ThingGroupRecord> {
    const query = queryOf(input);
    const existing = this.records.get(name);
    if (existing) {
      if (existing.query?.queryString === query.queryString && existing.description === input.description && sameAttributes(existing.attributes, input.attributes)) return existing;
      throw conflict(`Thing Group ${name} already exists in current account with different properties`);
    }
    const group: ThingGroupRecord = {
      name,
      id: randomUUID(),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.attributes !== undefined && { attributes: input.attributes }),
      ...(input.tags !== undefined && { tags: input.tags }),
      createdAt: this.clock.now(),
      version: 1,
      query,
    };
    await this.store.commit((tx) => tx.put('thingGroups', name, group));
    return group;
  }

  isDynamic(name: string): boolean {
    return this.dynamic.isDynamic(name);
  }

  /** A continuous job now follows these groups: a dynamic one still building hands it its whole membership when built. */
  followedBy(groups: readonly string[]): void {
    for (const group of groups) this.dynamic.followWhenBuilt(group);
  }

  /** A dynamic group's indexing status (BUILDING until its members are known). */
  dynamicStatus(name: string): DynamicGroupStatus {
    return this.dynamic.status(name);
  }

  /** UpdateDynamicThingGroup: UpdateThingGroup's rules, and a new query (things that start to match it join now). */
  updateDynamic(name: string, update: ThingGroupUpdate & { queryString?: string }): Promise<number> {
    this.get(name);
    if (!this.dynamic.isDynamic(name)) throw invalid(`Thing group ${name} is static: it has no queryString to change.`);
    return this.update(name, update);
  }

  /** UpdateThingGroup; answers the group's new version. */
  async update(name: string, update: ThingGroupUpdate & { queryString?: string }): Promise<number> {
    const group = this.get(name);
    checkExpectedVersion('thing group', name, group.version, update.expectedVersion);
    const { description: _description, attributes: _attributes, ...rest } = group;
    const description = update.description ?? group.description;
    const attributes = update.attributes ? attributesAfter(group.attributes ?? {}, update.attributes, update.merge ?? false) : group.attributes;
    const next: ThingGroupRecord = {
      ...rest,
      ...(description !== undefined && { description }),
      ...(attributes !== undefined && { attributes }),
      version: group.version + 1,
      ...(group.query && update.queryString !== undefined && { query: { ...group.query, ...queryOf({ queryString: update.queryString }) } }),
    };
    await this.store.commit((tx) => tx.put('thingGroups', name, next));
    return next.version;
  }

  /** DeleteThingGroup with its memberships; refused while child groups remain. An unknown group is no error (as in AWS). */
  async remove(name: string, expectedVersion: number | undefined): Promise<void> {
    const group = this.records.get(name);
    if (!group) return;
    checkExpectedVersion('thing group', name, group.version, expectedVersion);
    if (this.tree.childrenOf(name).length > 0) throw invalid(`Cannot delete thing group : ${name} when there are still child groups attached to it`);
    await this.store.commit((tx) => {
      for (const thing of this.members.thingsOf(name)) tx.delete('thingGroupMembers', memberKey(name, thing));
      tx.delete('thingGroups', name);
    });
  }

  /**
   * Adds a thing to a group; adding a member again stores nothing. The group's followers hear of it either way, so a
   * retry after a failed follow-up still reaches every continuous job (they skip things they already target).
   */
  async addThing(groupName: string, thingName: string): Promise<void> {
    await this.updateThingGroups(thingName, [groupName], []);
  }

  /** RemoveThingFromThingGroup; removing a thing that is no member is no error. */
  async removeThing(groupName: string, thingName: string): Promise<void> {
    await this.updateThingGroups(thingName, [], [groupName]);
  }

  /** UpdateThingGroupsForThing: every addition and removal in one commit, after checking every group exists. */
  async updateThingGroups(thingName: string, add: string[], remove: string[]): Promise<void> {
    for (const group of [...add, ...remove]) {
      this.get(group);
      if (this.dynamic.isDynamic(group)) throw invalid(`Thing group ${group} is dynamic: its query decides its things, which cannot be added or removed.`);
    }
    if (!this.things.exists(thingName)) throw notFound('Thing', thingName);
    const joining = add.filter((group) => !this.members.has(group, thingName));
    const leaving = remove.filter((group) => this.members.has(group, thingName) && !add.includes(group));
    const after = [...[...this.members.groupsOf(thingName)].filter((group) => !leaving.includes(group)), ...new Set(joining)];
    checkGroupsOfThing(thingName, after, (group) => this.ancestorsOf(group).at(-1) ?? group);
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
    return [...this.members.groupsOf(thingName), ...this.dynamic.groupsOf(thingName)].map((name) => this.get(name));
  }

  /** The group's parent, its parent, and so on. */
  ancestorsOf(name: string): string[] {
    const ancestors: string[] = [];
    for (let parent = this.records.get(name)?.parent; parent !== undefined && !ancestors.includes(parent); parent = this.records.get(parent)?.parent) {
      ancestors.push(parent);
    }
    return ancestors;
  }

  /** The group's things that still exist, in the order they were added; with `recursive`, its descendants' too. */
  membersOf(name: string, recursive: boolean): string[] {
    this.get(name);
    if (this.dynamic.isDynamic(name)) return new DeviceSet(this.dynamic.slicesOf(name)).ids(0, Number.MAX_SAFE_INTEGER);
    const names = new Set([...this.members.thingsOf(name)].filter((thing) => this.things.exists(thing)));
    if (recursive) for (const child of this.tree.childrenOf(name)) for (const thing of this.membersOf(child, true)) names.add(thing);
    return [...names];
  }

  /** Things at positions [offset, offset + limit) of membersOf, with whether more follow; a dynamic group's page costs O(page). */
  memberPage(name: string, recursive: boolean, offset: number, limit: number): { things: string[]; more: boolean } {
    if (!this.isDynamic(name)) {
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
    this.get(name);
    if (this.dynamic.isDynamic(name)) return this.dynamic.slicesOf(name);
    return targetSlices(this.membersOf(name, true), (id) => this.things.fleetPlaceOf(id));
  }

  /** How many things the group holds, with its descendants'. */
  memberCount(name: string): number {
    return this.dynamic.isDynamic(name) ? this.dynamic.size(name) : this.membersOf(name, true).length;
  }
}

/** The stored query of a dynamic group, after checking it parses. */
function queryOf(input: DynamicGroupQuery): NonNullable<ThingGroupRecord['query']> {
  const indexName = input.indexName ?? THINGS_INDEX;
  if (indexName !== THINGS_INDEX) throw new QueryError(`Index ${indexName} does not exist; Fleetlab's one index is ${THINGS_INDEX}.`);
  parseFleetQuery(input.queryString);
  return { queryString: input.queryString, queryVersion: input.queryVersion ?? QUERY_VERSION, indexName };
}
