import type { ThingGroupRecord } from '../../store/records.js';
import type { AppStore } from '../persisted.js';
import { parseFleetQuery, type IndexedThing, type ThingPredicate } from './fleet-query.js';
import type { ThingGroupMembers } from './thing-group-members.js';
import type { Things } from './things.js';

interface DynamicGroup {
  query: string;
  matches: ThingPredicate;
  things: Set<string>;
}

/**
 * The things of each dynamic thing group: those its fleet-indexing query matches. Computed by one scan when the group
 * is created (or its query changes, or the fleet is replaced or grows), then kept current thing by thing from the
 * store's changes, so a change costs one query evaluation per dynamic group. `joined` hears of each thing that starts
 * to match an existing group.
 */
export class DynamicGroupMembers {
  private readonly groups = new Map<string, DynamicGroup>();
  /** Things changed by the commit being applied; evaluated once it is applied whole (a device and its attributes commit together). */
  private readonly changed = new Set<string>();

  constructor(
    private readonly store: AppStore,
    private readonly things: Things,
    private readonly staticMembers: ThingGroupMembers,
    private readonly joined: (group: string, thing: string) => void,
  ) {
    this.rebuild();
    store.subscribe((change) => {
      if (change.op === 'replaced') return this.rebuild();
      if (change.op === 'set') {
        if (change.singleton === 'fleets') for (const name of [...this.groups.keys()]) this.rescan(name, true);
        return;
      }
      switch (change.collection) {
        case 'thingGroups':
          if (change.op === 'delete') this.groups.delete(change.id);
          else this.register(change.record as ThingGroupRecord, true);
          return;
        case 'thingGroupMembers':
          return this.reevaluate(change.id.slice(change.id.indexOf('/') + 1));
        case 'things':
        case 'devices':
        case 'deletedFleetDevices':
          return this.reevaluate(change.id);
      }
    });
  }

  isDynamic(group: string): boolean {
    return this.groups.has(group);
  }

  thingsOf(group: string): ReadonlySet<string> {
    return this.groups.get(group)?.things ?? new Set();
  }

  /** The dynamic groups a thing is in; one lookup per dynamic group. */
  groupsOf(thing: string): string[] {
    return [...this.groups].filter(([, group]) => group.things.has(thing)).map(([name]) => name);
  }

  private register(record: ThingGroupRecord, announce: boolean): void {
    if (record.query === undefined) {
      this.groups.delete(record.name);
      return;
    }
    const current = this.groups.get(record.name);
    if (current?.query === record.query.queryString) return;
    this.groups.set(record.name, { query: record.query.queryString, matches: parseFleetQuery(record.query.queryString), things: current?.things ?? new Set() });
    this.rescan(record.name, announce && current !== undefined);
  }

  /** Recomputes a group's things by scanning every thing; with `announce`, things that were not in it before are joins. */
  private rescan(name: string, announce: boolean): void {
    const group = this.groups.get(name)!;
    const before = group.things;
    group.things = new Set();
    for (const thing of this.things.allNames()) if (group.matches(this.indexed(thing))) group.things.add(thing);
    if (announce) for (const thing of group.things) if (!before.has(thing)) this.joined(name, thing);
  }

  private reevaluate(thing: string): void {
    if (this.groups.size === 0) return;
    if (this.changed.size === 0) {
      queueMicrotask(() => {
        const things = [...this.changed];
        this.changed.clear();
        for (const name of things) this.evaluate(name);
      });
    }
    this.changed.add(thing);
  }

  private evaluate(thing: string): void {
    const indexed = this.things.exists(thing) ? this.indexed(thing) : undefined;
    for (const [name, group] of this.groups) {
      const matches = indexed !== undefined && group.matches(indexed);
      if (matches === group.things.has(thing)) continue;
      if (matches) {
        group.things.add(thing);
        this.joined(name, thing);
      } else {
        group.things.delete(thing);
      }
    }
  }

  private indexed(name: string): IndexedThing {
    return indexedThing(this.things, this.staticMembers, name);
  }

  private rebuild(): void {
    this.groups.clear();
    for (const group of this.store.repository('thingGroups').list()) this.register(group, false);
  }
}

/** A thing's registry fields as the fleet index has them; its thingGroupNames are its static groups. */
export function indexedThing(things: Things, staticMembers: ThingGroupMembers, name: string): IndexedThing {
  const thing = things.describe(name);
  return {
    thingName: thing.name,
    thingId: thing.id,
    ...(thing.typeName !== undefined && { thingTypeName: thing.typeName }),
    thingGroupNames: [...staticMembers.groupsOf(name)],
    attributes: thing.attributes,
  };
}
