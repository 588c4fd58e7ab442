import { indexedThing } from './thing-query-test.js';
import { parseFleetQuery, QueryError, type IndexedThing } from './fleet-query.js';
import type { ThingGroupMembers } from './thing-group-members.js';
import { THINGS_INDEX } from './thing-groups.js';
import type { Things } from './things.js';

/**
 * SearchIndex over the registry fields of things. A search scans the catalog in listing order until it has the page
 * (and one more), so its cost grows with the position of the last match, not with what a write costs.
 */
export class ThingSearch {
  constructor(
    private readonly things: Things,
    private readonly staticMembers: ThingGroupMembers,
  ) {}

  search(indexName: string | undefined, query: string, offset: number, limit: number): { things: IndexedThing[]; more: boolean } {
    if (indexName !== undefined && indexName !== THINGS_INDEX) throw new QueryError(`Index ${indexName} does not exist; Fleetlab's one index is ${THINGS_INDEX}.`);
    const matches = parseFleetQuery(query);
    const found: IndexedThing[] = [];
    let matched = 0;
    for (const name of this.things.allNames()) {
      const thing = indexedThing(this.things, this.staticMembers, name);
      if (!matches(thing)) continue;
      if (matched++ < offset) continue;
      if (found.length === limit) return { things: found, more: true };
      found.push(thing);
    }
    return { things: found, more: false };
  }
}
