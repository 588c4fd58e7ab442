import type { FleetView } from '../devices/fleet-view.js';
import type { FleetIndex } from '../devices/fleet-index.js';
import type { MemberTest } from '../groups/fleet-resolution.js';
import type { AppStore } from '../persisted.js';
import type { CompiledFleetQuery, IndexedThing } from './fleet-query.js';
import type { ThingGroupMembers } from './thing-group-members.js';
import { thingIdOf, type Things } from './things.js';

/**
 * A fleet-indexing query as the fleet resolution asks it. A fleet member without registry data, static groups or an
 * edit of its own is indexed as its fleet's type with no attributes and no groups, so unless the query reads the
 * thing's name or id, one evaluation decides every such member. Its particular members are read once, when the test
 * is made: O(things with registry data), not O(fleet).
 */
export function thingQueryTest(query: CompiledFleetQuery, store: AppStore, index: FleetIndex, things: Things, staticMembers: ThingGroupMembers): MemberTest {
  const particular = new Map<FleetView, Set<number>>();
  const note = (id: string) => {
    const member = index.memberOf(id);
    if (!member) return;
    let numbers = particular.get(member.view);
    if (!numbers) particular.set(member.view, (numbers = new Set()));
    numbers.add(member.n);
  };
  for (const id of store.repository('things').ids()) note(id);
  for (const id of staticMembers.groupedThings()) note(id);
  const isParticular = (view: FleetView, n: number) => view.overrides.has(n) || (particular.get(view)?.has(n) ?? false);
  const unedited = new UneditedMember();
  return {
    shared: (view) => (query.readsIdentity ? undefined : query.matches(unedited.at(view, view.fleet.first))),
    particular: (view) => [...(particular.get(view) ?? []), ...view.overrides.keys()],
    // A member without data of its own is indexed without reading the catalog or allocating (a million are visited).
    member: (view, n) => query.matches(isParticular(view, n) ? indexedThing(things, staticMembers, `${view.fleet.prefix}-${n}`) : unedited.at(view, n)),
    standalone: (record) => query.matches(indexedThing(things, staticMembers, record.id)),
  };
}

const NO_GROUPS: readonly string[] = Object.freeze([]);
const NO_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({});

/**
 * What the fleet index holds of a fleet member nobody edited, as one object moved from member to member (a query
 * reads it synchronously and keeps nothing); its id is computed only if the query reads it.
 */
class UneditedMember implements IndexedThing {
  thingName = '';
  thingTypeName: string | undefined;
  readonly thingGroupNames = NO_GROUPS;
  readonly attributes = NO_ATTRIBUTES;

  get thingId(): string {
    return thingIdOf(this.thingName);
  }

  at({ fleet }: FleetView, n: number): this {
    this.thingName = `${fleet.prefix}-${n}`;
    this.thingTypeName = fleet.template;
    return this;
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
