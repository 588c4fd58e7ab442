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
  const particular = new Map<FleetView, number[]>();
  const note = (id: string) => {
    const member = index.memberOf(id);
    if (!member) return;
    let numbers = particular.get(member.view);
    if (!numbers) particular.set(member.view, (numbers = []));
    numbers.push(member.n);
  };
  for (const id of store.repository('things').ids()) note(id);
  for (const id of staticMembers.groupedThings()) note(id);
  const matches = (id: string) => query.matches(indexedThing(things, staticMembers, id));
  return {
    shared: (view) => (query.readsIdentity ? undefined : query.matches(unindexedMember(view))),
    particular: (view) => [...(particular.get(view) ?? []), ...view.overrides.keys()],
    member: (view, n) => matches(`${view.fleet.prefix}-${n}`),
    standalone: (record) => matches(record.id),
  };
}

/** What the fleet index holds of a fleet member nobody edited (its name and id aside). */
function unindexedMember({ fleet }: FleetView): IndexedThing {
  const thingName = `${fleet.prefix}-${fleet.first}`;
  return { thingName, thingId: thingIdOf(thingName), thingTypeName: fleet.template, thingGroupNames: [], attributes: {} };
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
