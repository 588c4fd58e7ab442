import { randomUUID } from 'node:crypto';
import type { ThingGroupRecord } from '../../store/records.js';
import type { Repository } from '../../store/store.js';
import type { Clock } from '../clock.js';
import { conflict, notFound } from '../errors.js';
import type { AppStore } from '../persisted.js';
import { memberKey } from './registry-records.js';
import { ThingGroupMembers } from './thing-group-members.js';
import { ThingGroupTree } from './thing-group-tree.js';
import { sameAttributes, type Things } from './things.js';

export interface ThingGroupInput {
  description?: string;
  attributes?: Record<string, string>;
  parent?: string;
  tags?: { Key: string; Value?: string }[];
}

/** AWS IoT static thing groups, kept beside IoT Central's device groups: named sets of things, optionally nested. */
export class ThingGroups {
  private readonly thingAddedListeners: ((group: string, thing: string) => Promise<void>)[] = [];
  private readonly tree: ThingGroupTree;
  private readonly membership: ThingGroupMembers;

  constructor(
    private readonly store: AppStore,
    private readonly things: Things,
    private readonly clock: Clock,
  ) {
    this.tree = new ThingGroupTree(store);
    this.membership = new ThingGroupMembers(store);
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

  findById(id: string): ThingGroupRecord | undefined {
    const name = this.tree.nameOf(id);
    return name === undefined ? undefined : this.records.get(name);
  }

  /** Creates a group; asking again with the same properties answers the existing group. */
  async create(name: string, input: ThingGroupInput): Promise<ThingGroupRecord> {
    const existing = this.records.get(name);
    if (existing) {
      if (existing.parent === input.parent && existing.description === input.description && sameAttributes(existing.attributes, input.attributes)) {
        return existing;
      }
      throw conflict(`Thing Group ${name} already exists in current account with different properties`);
    }
    if (input.parent !== undefined) this.get(input.parent);
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

  /** Called after a thing joined a group, and again when it is added once more (continuous jobs follow their groups). */
  onThingAdded(listener: (group: string, thing: string) => Promise<void>): void {
    this.thingAddedListeners.push(listener);
  }

  /**
   * Adds a thing to a group; adding a member again stores nothing. The listeners hear of it either way, so a retry
   * after a failed follow-up still reaches every continuous job (they skip things they already target).
   */
  async addThing(groupName: string, thingName: string): Promise<void> {
    const group = this.get(groupName);
    if (!this.things.exists(thingName)) throw notFound('Thing', thingName);
    if (!this.membership.has(group.name, thingName)) {
      await this.store.commit((tx) => tx.put('thingGroupMembers', memberKey(group.name, thingName), { group: group.name, thing: thingName }));
    }
    for (const listener of this.thingAddedListeners) await listener(groupName, thingName);
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
  members(name: string, recursive: boolean): string[] {
    this.get(name);
    const names = new Set([...this.membership.thingsOf(name)].filter((thing) => this.things.exists(thing)));
    if (recursive) for (const child of this.tree.childrenOf(name)) for (const thing of this.members(child, true)) names.add(thing);
    return [...names];
  }
}
