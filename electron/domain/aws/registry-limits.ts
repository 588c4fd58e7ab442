import { limitExceeded } from '../errors.js';
import type { Tag } from './aws-job-model.js';

/**
 * The AWS IoT registry quotas a client runs into, as the AWS IoT developer guide gives them: a thing in at most 10
 * static thing groups and in one group per hierarchy, 50 tags per resource, 3 attributes on a thing without a type
 * and 50 on a typed thing. A refusal is LimitExceededException where the operation's model lists it, else
 * InvalidRequestException.
 */
const REGISTRY_LIMITS = { groupsPerThing: 10, tagsPerResource: 50, untypedAttributes: 3, typedAttributes: 50 } as const;

export function checkTagCount(tags: readonly Tag[]): void {
  if (tags.length > REGISTRY_LIMITS.tagsPerResource) {
    throw limitExceeded(`A resource can have at most ${REGISTRY_LIMITS.tagsPerResource} tags; this request would give it ${tags.length}.`);
  }
}

export function checkAttributeCount(thingName: string, typeName: string | undefined, attributes: Readonly<Record<string, string>>): void {
  const count = Object.keys(attributes).length;
  const limit = typeName === undefined ? REGISTRY_LIMITS.untypedAttributes : REGISTRY_LIMITS.typedAttributes;
  if (count <= limit) return;
  const why = typeName === undefined ? 'a thing without a thing type' : 'a thing with a thing type';
  throw limitExceeded(`Thing ${thingName} would have ${count} attributes; ${why} can have at most ${limit}.`);
}

/** A thing's static groups after a change: at most 10, and no two in one hierarchy (sharing a root group). */
export function checkGroupsOfThing(thingName: string, groups: readonly string[], rootOf: (group: string) => string): void {
  if (groups.length > REGISTRY_LIMITS.groupsPerThing) {
    throw limitExceeded(`Thing ${thingName} can be in at most ${REGISTRY_LIMITS.groupsPerThing} thing groups; this request would put it in ${groups.length}.`);
  }
  const byRoot = new Map<string, string>();
  for (const group of groups) {
    const root = rootOf(group);
    const other = byRoot.get(root);
    if (other !== undefined) throw limitExceeded(`Thing ${thingName} cannot be in both ${other} and ${group}: a thing can be in only one group of a hierarchy (here the one under ${root}).`);
    byRoot.set(root, group);
  }
}
