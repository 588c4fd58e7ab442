import type { FleetIndex } from '../devices/fleet-index.js';
import { resolveNow } from '../groups/fleet-resolution.js';
import { DeviceSet } from '../jobs/device-set.js';
import type { AppStore } from '../persisted.js';
import { compileFleetQuery, QueryError, type IndexedThing } from './fleet-query.js';
import type { ThingGroupMembers } from './thing-group-members.js';
import { THINGS_INDEX } from './thing-groups.js';
import { indexedThing, thingQueryTest } from './thing-query-test.js';
import type { Things } from './things.js';

/**
 * SearchIndex over the registry fields of things, in listing order. A query that does not read the thing's name or
 * id is resolved as dynamic groups are (a fleet decided by its shared fields costs nothing per member), then paged;
 * one that does scans the catalog until it has the page (and one more), so it costs as far as its last match.
 */
export class ThingSearch {
  constructor(
    private readonly store: AppStore,
    private readonly index: FleetIndex,
    private readonly things: Things,
    private readonly staticMembers: ThingGroupMembers,
  ) {}

  search(indexName: string | undefined, query: string, offset: number, limit: number): { things: IndexedThing[]; more: boolean } {
    if (indexName !== undefined && indexName !== THINGS_INDEX) throw new QueryError(`Index ${indexName} does not exist; Fleetlab's one index is ${THINGS_INDEX}.`);
    const compiled = compileFleetQuery(query);
    const indexed = (name: string) => indexedThing(this.things, this.staticMembers, name);
    if (!compiled.readsIdentity) {
      const matches = new DeviceSet(resolveNow(thingQueryTest(compiled, this.store, this.index, this.things, this.staticMembers), this.index));
      return { things: matches.ids(offset, offset + limit).map(indexed), more: offset + limit < matches.size };
    }
    const found: IndexedThing[] = [];
    let matched = 0;
    for (const name of this.things.allNames()) {
      const thing = indexed(name);
      if (!compiled.matches(thing)) continue;
      if (matched++ < offset) continue;
      if (found.length === limit) return { things: found, more: true };
      found.push(thing);
    }
    return { things: found, more: false };
  }
}
