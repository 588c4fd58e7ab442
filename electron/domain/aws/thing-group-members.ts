import type { AppStore } from '../persisted.js';
import type { ThingGroupMemberRecord } from './registry-records.js';

/**
 * The things of each thing group and the groups of each thing, kept current from the store's `thingGroupMembers`
 * changes: adding a member costs the same whatever the size of its group or of the store.
 */
export class ThingGroupMembers {
  /** Sets keep insertion order: a group lists its things in the order they were added. */
  private readonly thingsByGroup = new Map<string, Set<string>>();
  private readonly groupsByThing = new Map<string, Set<string>>();

  constructor(private readonly store: AppStore) {
    this.rebuild();
    store.subscribe((change) => {
      if (change.op === 'replaced') this.rebuild();
      else if (change.op === 'set' || change.collection !== 'thingGroupMembers') return;
      else if (change.op === 'put') this.add(change.record as ThingGroupMemberRecord);
      else this.forget(change.id);
    });
  }

  has(group: string, thing: string): boolean {
    return this.thingsByGroup.get(group)?.has(thing) ?? false;
  }

  thingsOf(group: string): ReadonlySet<string> {
    return this.thingsByGroup.get(group) ?? EMPTY;
  }

  /** Things in at least one group. */
  groupedThings(): Iterable<string> {
    return this.groupsByThing.keys();
  }

  groupsOf(thing: string): ReadonlySet<string> {
    return this.groupsByThing.get(thing) ?? EMPTY;
  }

  private add({ group, thing }: ThingGroupMemberRecord): void {
    entry(this.thingsByGroup, group).add(thing);
    entry(this.groupsByThing, thing).add(group);
  }

  private forget(key: string): void {
    const slash = key.indexOf('/');
    const group = key.slice(0, slash);
    const thing = key.slice(slash + 1);
    remove(this.thingsByGroup, group, thing);
    remove(this.groupsByThing, thing, group);
  }

  private rebuild(): void {
    this.thingsByGroup.clear();
    this.groupsByThing.clear();
    for (const member of this.store.repository('thingGroupMembers').list()) this.add(member);
  }
}

const EMPTY: ReadonlySet<string> = new Set();

function entry(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

function remove(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
