import type { ThingGroupRecord } from '../../store/records.js';
import type { AppStore } from '../persisted.js';

/** Each thing group's child groups and the group of each id, kept current from the store's changes (no request scans the groups). */
export class ThingGroupTree {
  private readonly children = new Map<string, Set<string>>();
  private readonly parents = new Map<string, string>();
  private readonly names = new Map<string, string>();
  private readonly ids = new Map<string, string>();

  constructor(private readonly store: AppStore) {
    this.rebuild();
    store.subscribe((change) => {
      if (change.op === 'replaced') this.rebuild();
      else if (change.op === 'set' || change.collection !== 'thingGroups') return;
      else if (change.op === 'delete') this.forget(change.id);
      else this.put(change.record as ThingGroupRecord);
    });
  }

  childrenOf(name: string): string[] {
    return [...(this.children.get(name) ?? [])];
  }

  /** The group's parent, its parent, and so on. */
  ancestorsOf(name: string): string[] {
    const ancestors: string[] = [];
    for (let parent = this.parents.get(name); parent !== undefined && !ancestors.includes(parent); parent = this.parents.get(parent)) ancestors.push(parent);
    return ancestors;
  }

  nameOf(id: string): string | undefined {
    return this.names.get(id);
  }

  /** An update rewrites the group's record; the group keeps its place among its siblings. */
  private put(group: ThingGroupRecord): void {
    if (this.ids.get(group.name) === group.id && this.parents.get(group.name) === group.parent) return;
    this.forget(group.name);
    this.add(group);
  }

  private add(group: ThingGroupRecord): void {
    this.names.set(group.id, group.name);
    this.ids.set(group.name, group.id);
    if (group.parent === undefined) return;
    this.parents.set(group.name, group.parent);
    let siblings = this.children.get(group.parent);
    if (!siblings) this.children.set(group.parent, (siblings = new Set()));
    siblings.add(group.name);
  }

  private forget(name: string): void {
    const id = this.ids.get(name);
    if (id !== undefined) this.names.delete(id);
    this.ids.delete(name);
    const parent = this.parents.get(name);
    if (parent !== undefined) this.children.get(parent)?.delete(name);
    this.parents.delete(name);
  }

  private rebuild(): void {
    for (const map of [this.children, this.parents, this.names, this.ids]) map.clear();
    for (const group of this.store.repository('thingGroups').list()) this.add(group);
  }
}
