/**
 * A thing group of a snapshot's data.thingGroups that is its own ancestor, or undefined when the parents form a tree:
 * the APIs walk a group's descendants, and a cycle made that walk endless.
 */
export function thingGroupInCycle(groups: ReadonlyMap<string, unknown>): string | undefined {
  const parentOf = (name: string) => {
    const parent = (groups.get(name) as { parent?: unknown } | undefined)?.parent;
    return typeof parent === 'string' ? parent : undefined;
  };
  const inTree = new Set<string>();
  for (const name of groups.keys()) {
    const path = new Set<string>();
    for (let group: string | undefined = name; group !== undefined && !inTree.has(group); group = parentOf(group)) {
      if (path.has(group)) return group;
      path.add(group);
    }
    for (const group of path) inTree.add(group);
  }
  return undefined;
}
