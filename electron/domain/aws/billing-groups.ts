import { randomUUID } from 'node:crypto';
import type { ThingRecord } from '../../store/records.js';
import type { Clock } from '../clock.js';
import { conflict, notFound } from '../errors.js';
import type { AppStore } from '../persisted.js';
import type { Tag } from './aws-job-model.js';
import { BillingGroupMembers } from './billing-group-members.js';
import type { BillingGroupRecord } from './registry-records.js';
import type { Things } from './things.js';
import { checkExpectedVersion } from './versions.js';

export interface BillingGroupInput {
  description?: string;
  tags?: Tag[];
}

/** AWS IoT billing groups: a thing belongs to at most one, named in its registry record. */
export class BillingGroups {
  private readonly members: BillingGroupMembers;

  constructor(
    private readonly store: AppStore,
    private readonly things: Things,
    private readonly clock: Clock,
  ) {
    this.members = new BillingGroupMembers(store);
  }

  get(name: string): BillingGroupRecord {
    const group = this.store.repository('billingGroups').get(name);
    if (!group) throw notFound('Billing group', name);
    return group;
  }

  /** In creation order, optionally those whose name starts with `prefix`. */
  list(prefix?: string): BillingGroupRecord[] {
    return this.store
      .repository('billingGroups')
      .list()
      .filter((group) => prefix === undefined || group.name.startsWith(prefix));
  }

  /** Creates a billing group; asking again with the same description answers the existing one. */
  async create(name: string, input: BillingGroupInput): Promise<BillingGroupRecord> {
    const existing = this.store.repository('billingGroups').get(name);
    if (existing) {
      if (existing.description === input.description) return existing;
      throw conflict(`Billing Group ${name} already exists in current account with different properties`);
    }
    const group: BillingGroupRecord = {
      name,
      id: randomUUID(),
      ...(input.description !== undefined && { description: input.description }),
      createdAt: this.clock.now(),
      version: 1,
      ...(input.tags !== undefined && { tags: input.tags }),
    };
    await this.store.commit((tx) => tx.put('billingGroups', name, group));
    return group;
  }

  /** UpdateBillingGroup; answers the group's new version. */
  async update(name: string, description: string | undefined, expectedVersion: number | undefined): Promise<number> {
    const group = this.get(name);
    checkExpectedVersion('billing group', name, group.version, expectedVersion);
    const { description: _old, ...rest } = group;
    const next: BillingGroupRecord = { ...rest, ...(description !== undefined && { description }), version: group.version + 1 };
    await this.store.commit((tx) => tx.put('billingGroups', name, next));
    return next.version;
  }

  /** DeleteBillingGroup; its things leave it in the same commit. An unknown group is no error (as in AWS). */
  async remove(name: string, expectedVersion: number | undefined): Promise<void> {
    const group = this.store.repository('billingGroups').get(name);
    if (!group) return;
    checkExpectedVersion('billing group', name, group.version, expectedVersion);
    await this.store.commit((tx) => {
      for (const thing of this.members.thingsOf(name)) tx.put('things', thing, withoutBillingGroup(this.things.registryOf(thing)));
      tx.delete('billingGroups', name);
    });
  }

  /** AddThingToBillingGroup: the thing leaves the billing group it was in, if any. */
  addThing(groupName: string, thingName: string): Promise<void> {
    this.get(groupName);
    return this.things.exclusive(thingName, async () => {
      if (!this.things.exists(thingName)) throw notFound('Thing', thingName);
      const record = this.things.registryOf(thingName);
      if (record.billingGroup === groupName) return;
      await this.store.commit((tx) => tx.put('things', thingName, { ...record, billingGroup: groupName }));
    });
  }

  /** RemoveThingFromBillingGroup; a thing that is not in the group stays as it is. */
  removeThing(groupName: string, thingName: string): Promise<void> {
    this.get(groupName);
    return this.things.exclusive(thingName, async () => {
      if (!this.things.exists(thingName)) throw notFound('Thing', thingName);
      const record = this.things.registryOf(thingName);
      if (record.billingGroup !== groupName) return;
      await this.store.commit((tx) => tx.put('things', thingName, withoutBillingGroup(record)));
    });
  }

  /** The group's things that still exist, in the order they joined it. */
  thingsOf(name: string): string[] {
    this.get(name);
    return this.members.thingsOf(name).filter((thing) => this.things.exists(thing));
  }
}

function withoutBillingGroup(record: ThingRecord): ThingRecord {
  const { billingGroup: _group, ...rest } = record;
  return rest;
}
