import { randomUUID } from 'node:crypto';
import type { ThingGroupRecord } from '../../store/records.js';
import type { Repository } from '../../store/store.js';
import type { Clock } from '../clock.js';
import { conflict, invalid, notFound } from '../errors.js';
import { silentLog, Supervisor } from '../background.js';
import type { AppStore } from '../persisted.js';
import { attributesAfter } from './attribute-merge.js';
import type { FleetIndex } from '../devices/fleet-index.js';
import type { MembershipChanges } from '../groups/membership-changes.js';
import { DynamicGroupMembers, type DynamicGroupStatus } from './dynamic-group-members.js';
import { parseFleetQuery, QueryError } from './fleet-query.js';
import { memberKey } from './registry-records.js';
import type { ThingGroupMembers } from './thing-group-members.js';
import { ThingGroupTree } from './thing-group-tree.js';
import { ThingGroupMembership } from './thing-group-membership.js';
import { sameAttributes, type Things } from './things.js';
import { checkExpectedVersion } from './versions.js';

export interface ThingGroupInput {
  description?: string;
  attributes?: Record<string, string>;
  parent?: string;
  tags?: { Key: string; Value?: string }[];
}

/** A group's new description and attributes (merged or replaced), guarded by the group's version. */
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

/** AWS IoT thing groups, kept beside IoT Central's device groups: their records, nesting and queries; `membership` says which things each holds. */
export class ThingGroups {
  private readonly tree: ThingGroupTree;
  private readonly dynamic: DynamicGroupMembers;
  /** Which things each group holds. */
  readonly membership: ThingGroupMembership;

  constructor(
    private readonly store: AppStore,
    index: FleetIndex,
    things: Things,
    private readonly members: ThingGroupMembers,
    private readonly clock: Clock,
    /** Continuous jobs follow the things that join a group through it. */
    readonly joins: MembershipChanges,
    /** Builds dynamic groups' members and tells continuous jobs of things that start to match, which no request waits for. */
    background: Supervisor = new Supervisor(silentLog),
  ) {
    this.tree = new ThingGroupTree(store);
    this.dynamic = new DynamicGroupMembers(store, index, things, members, joins, background);
    this.membership = new ThingGroupMembership(store, things, members, this.dynamic, this.tree, joins);
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

  /** The roots' (or the parent's) children, breadth first with `recursive`, filtered by name prefix. */
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

  /** A group whose members are the things its fleet-indexing query matches. */
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

  /** The group's parent, its parent, and so on. */
  ancestorsOf(name: string): string[] {
    return this.tree.ancestorsOf(name);
  }

  /** A dynamic group's indexing status (BUILDING until its members are known). */
  dynamicStatus(name: string): DynamicGroupStatus {
    return this.dynamic.status(name);
  }

  /** A dynamic group's update: a static one's rules, and a new query (things that start to match it join now). */
  updateDynamic(name: string, update: ThingGroupUpdate & { queryString?: string }): Promise<number> {
    this.get(name);
    if (!this.dynamic.isDynamic(name)) throw invalid(`Thing group ${name} is static: it has no queryString to change.`);
    return this.update(name, update);
  }

  /** Changes the group's description and attributes (a dynamic one's query too); answers its new version. */
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

  /** Deletes a group with its memberships; refused while child groups remain. An unknown group is no error (as in AWS). */
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
}

/** The stored query of a dynamic group, after checking it parses. */
function queryOf(input: DynamicGroupQuery): NonNullable<ThingGroupRecord['query']> {
  const indexName = input.indexName ?? THINGS_INDEX;
  if (indexName !== THINGS_INDEX) throw new QueryError(`Index ${indexName} does not exist; Fleetlab's one index is ${THINGS_INDEX}.`);
  parseFleetQuery(input.queryString);
  return { queryString: input.queryString, queryVersion: input.queryVersion ?? QUERY_VERSION, indexName };
}
