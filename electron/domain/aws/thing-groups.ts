import { randomUUID } from 'node:crypto';
import type { AppStore } from '../../store/app-store.js';
import type { ThingGroupRecord } from '../../store/records.js';
import type { Clock } from '../clock.js';
import { conflict, notFound } from '../errors.js';
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

  constructor(
    private readonly store: AppStore,
    private readonly things: Things,
    private readonly clock: Clock,
  ) {}

  private get records(): Record<string, ThingGroupRecord> {
    return this.store.data.thingGroups;
  }

  get(name: string): ThingGroupRecord {
    const group = this.records[name];
    if (!group) throw notFound('Thing group', name);
    return group;
  }

  find(name: string): ThingGroupRecord | undefined {
    return this.records[name];
  }

  list(): ThingGroupRecord[] {
    return Object.values(this.records);
  }

  findById(id: string): ThingGroupRecord | undefined {
    return Object.values(this.records).find((group) => group.id === id);
  }

  /** Creates a group; asking again with the same properties answers the existing group. */
  async create(name: string, input: ThingGroupInput): Promise<ThingGroupRecord> {
    const existing = this.records[name];
    if (existing) {
      if (existing.parent === input.parent && existing.description === input.description && sameAttributes(existing.attributes, input.attributes)) {
        return existing;
      }
      throw conflict(`Thing group "${name}" already exists with different properties.`);
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
      things: [],
    };
    this.records[name] = group;
    await this.store.save();
    return group;
  }

  /** Called after a thing joined a group (continuous jobs follow their groups). */
  onThingAdded(listener: (group: string, thing: string) => Promise<void>): void {
    this.thingAddedListeners.push(listener);
  }

  /** Adds a thing to a group; adding a member again changes nothing. */
  async addThing(groupName: string, thingName: string): Promise<void> {
    const group = this.get(groupName);
    if (!this.things.exists(thingName)) throw notFound('Thing', thingName);
    if (group.things.includes(thingName)) return;
    group.things.push(thingName);
    await this.store.save();
    for (const listener of this.thingAddedListeners) await listener(groupName, thingName);
  }

  /** The group's parent, its parent, and so on. */
  ancestorsOf(name: string): string[] {
    const ancestors: string[] = [];
    for (let parent = this.records[name]?.parent; parent !== undefined && !ancestors.includes(parent); parent = this.records[parent]?.parent) {
      ancestors.push(parent);
    }
    return ancestors;
  }

  /** The group's things that still exist, in the order they were added; with `recursive`, its descendants' too. */
  members(name: string, recursive: boolean): string[] {
    const group = this.get(name);
    const names = new Set(group.things.filter((thing) => this.things.exists(thing)));
    if (recursive) for (const child of this.childrenOf(name)) for (const thing of this.members(child, true)) names.add(thing);
    return [...names];
  }

  private childrenOf(name: string): string[] {
    return Object.values(this.records)
      .filter((group) => group.parent === name)
      .map((group) => group.name);
  }
}
