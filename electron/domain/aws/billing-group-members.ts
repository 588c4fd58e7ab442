import type { ThingRecord } from '../../store/records.js';
import type { AppStore } from '../persisted.js';

/** The things of each billing group, kept current from the store's changes of the things' registry records. */
export class BillingGroupMembers {
  private readonly thingsByGroup = new Map<string, Set<string>>();
  private readonly groupByThing = new Map<string, string>();

  constructor(private readonly store: AppStore) {
    this.rebuild();
    store.subscribe((change) => {
      if (change.op === 'replaced') this.rebuild();
      else if (change.op === 'set' || change.collection !== 'things') return;
      else this.place(change.id, change.op === 'put' ? (change.record as ThingRecord).billingGroup : undefined);
    });
  }

  thingsOf(group: string): string[] {
    return [...(this.thingsByGroup.get(group) ?? [])];
  }

  private place(thing: string, group: string | undefined): void {
    const previous = this.groupByThing.get(thing);
    if (previous === group) return;
    if (previous !== undefined) this.thingsByGroup.get(previous)?.delete(thing);
    if (group === undefined) {
      this.groupByThing.delete(thing);
      return;
    }
    this.groupByThing.set(thing, group);
    let things = this.thingsByGroup.get(group);
    if (!things) this.thingsByGroup.set(group, (things = new Set()));
    things.add(thing);
  }

  private rebuild(): void {
    this.thingsByGroup.clear();
    this.groupByThing.clear();
    const things = this.store.repository('things');
    for (const name of things.ids()) this.place(name, things.get(name)!.billingGroup);
  }
}
