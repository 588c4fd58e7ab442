import type { AppStore, FleetlabSchema } from '../persisted.js';
import type { Tag } from './aws-job-model.js';
import { checkTagCount } from './registry-limits.js';
import type { AwsJobs } from './aws-jobs.js';
import type { BillingGroups } from './billing-groups.js';
import type { JobTemplates } from './job-templates.js';
import type { ThingGroups } from './thing-groups.js';
import type { ThingTypes } from './thing-types.js';
import type { Things } from './things.js';

export type TaggableResource = 'thing' | 'thinggroup' | 'billinggroup' | 'thingtype' | 'job' | 'jobtemplate';

type TagEdit = (tags: readonly Tag[]) => Tag[];

type TaggedCollection = 'thingGroups' | 'billingGroups' | 'thingTypes' | 'jobTemplates';

/** How one kind of resource keeps its tags; both throw NotFound for an unknown resource. */
interface TagSlot {
  read(name: string): readonly Tag[];
  /** Reads, edits and commits the tags with no other write of the resource in between. */
  change(name: string, edit: TagEdit): Promise<void>;
}

export interface TaggedServices {
  things: Things;
  thingGroups: ThingGroups;
  billingGroups: BillingGroups;
  thingTypes: ThingTypes;
  jobs: AwsJobs;
  jobTemplates: JobTemplates;
}

/** TagResource, UntagResource and ListTagsForResource over every taggable registry and jobs resource. */
export class ResourceTags {
  private readonly slots: Record<TaggableResource, TagSlot>;

  constructor(store: AppStore, services: TaggedServices) {
    const { things, thingGroups, billingGroups, thingTypes, jobs, jobTemplates } = services;
    const withTags = <T extends object>(record: T, tags: Tag[]): T => {
      const { tags: _old, ...rest } = record as T & { tags?: Tag[] };
      return (tags.length > 0 ? { ...rest, tags } : rest) as T;
    };
    /** A resource whose tags are a field of its own record in `collection`. */
    const recordSlot = <C extends TaggedCollection>(collection: C, recordOf: (name: string) => FleetlabSchema['collections'][C]): TagSlot => ({
      read: (name) => recordOf(name).tags ?? [],
      change: async (name, edit) => {
        const record = recordOf(name);
        await store.commit((tx) => tx.put(collection, name, withTags(record, edit(record.tags ?? []))));
      },
    });
    this.slots = {
      thing: {
        read: (name) => (things.describe(name), things.registryOf(name).tags ?? []),
        change: (name, edit) =>
          things.exclusive(name, async () => {
            things.describe(name);
            const record = things.registryOf(name);
            await store.commit((tx) => tx.put('things', name, withTags(record, edit(record.tags ?? []))));
          }),
      },
      thinggroup: recordSlot('thingGroups', (name) => thingGroups.get(name)),
      billinggroup: recordSlot('billingGroups', (name) => billingGroups.get(name)),
      thingtype: recordSlot('thingTypes', (name) => thingTypes.recordOf(name)),
      job: {
        read: (name) => jobs.get(name).record.tags ?? [],
        change: (name, edit) =>
          jobs.exclusive(name, async () => {
            const { record } = jobs.get(name);
            await store.commit((tx) => tx.put('awsJobs', name, withTags(record, edit(record.tags ?? []))));
          }),
      },
      jobtemplate: recordSlot('jobTemplates', (name) => jobTemplates.get(name)),
    };
  }

  list(resource: TaggableResource, name: string): readonly Tag[] {
    return this.slots[resource].read(name);
  }

  /** Adds tags; a key the resource already has takes the new value. */
  tag(resource: TaggableResource, name: string, tags: Tag[]): Promise<void> {
    const keys = new Set(tags.map((tag) => tag.Key));
    return this.slots[resource].change(name, (current) => {
      const next = [...current.filter((tag) => !keys.has(tag.Key)), ...tags];
      checkTagCount(next);
      return next;
    });
  }

  /** Removes the tags of these keys; keys the resource does not have are ignored. */
  untag(resource: TaggableResource, name: string, keys: string[]): Promise<void> {
    const removed = new Set(keys);
    return this.slots[resource].change(name, (current) => current.filter((tag) => !removed.has(tag.Key)));
  }
}
