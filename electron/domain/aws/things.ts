import type { DeviceRecord, ThingRecord } from '../../store/records.js';
import type { Repository, Transaction } from '../../store/store.js';
import type { DeviceCatalog } from '../devices/device-catalog.js';
import type { DeviceTemplates } from '../devices/device-templates.js';
import { newEtag } from '../etag.js';
import { conflict, invalid, notFound } from '../errors.js';
import type { AppStore, FleetlabSchema } from '../persisted.js';
import { WriteQueue } from '../devices/write-queue.js';
import { attributesAfter } from './attribute-merge.js';
import { stageDetachAll } from './certificates.js';
import { ExternalThings } from './external-things.js';
import { memberKey } from './registry-records.js';
import { stableUuid } from './stable-ids.js';
import type { FleetPlace } from '../groups/target-slices.js';
import type { ThingGroupMembers } from './thing-group-members.js';
import { checkAttributeCount } from './registry-limits.js';
import { checkExpectedVersion } from './versions.js';
import { assertThingName } from './thing-names.js';

/** A device as an AWS IoT thing: the thing name is the device id, the thing type its device template. */
export interface ThingView {
  name: string;
  id: string;
  typeName?: string;
  attributes: Record<string, string>;
  version: number;
  billingGroup?: string;
}

export interface ThingInput {
  typeName?: string;
  attributes?: Record<string, string>;
  billingGroup?: string;
}

/** UpdateThing: a new type (or none), attributes merged or replaced, guarded by the thing's version. */
export interface ThingUpdate {
  typeName?: string;
  removeType?: boolean;
  attributes?: Record<string, string>;
  merge?: boolean;
  expectedVersion?: number;
}

export interface ThingFilter {
  attributeName?: string;
  attributeValue?: string;
  usePrefixAttributeValue?: boolean;
  typeName?: string;
}

/** A thing created with this attribute set to "true" is external: a real agent takes its jobs through the data plane. */
export const EXTERNAL_ATTRIBUTE = 'fleetlab:external';

/** Devices scanned per step when a type filter walks the catalog. */
const SCAN_STEP = 1000;

const NO_REGISTRY_DATA: ThingRecord = { attributes: {}, version: 1 };

/** The AWS IoT registry view of the device catalog; every device, simulated fleets included, is a thing. */
export class Things {
  private readonly externals: ExternalThings;
  private readonly writes = new WriteQueue();

  constructor(
    private readonly store: AppStore,
    private readonly devices: DeviceCatalog,
    private readonly templates: DeviceTemplates,
    private readonly members: ThingGroupMembers,
  ) {
    this.externals = new ExternalThings(store);
  }

  private get registry(): Repository<ThingRecord> {
    return this.store.repository('things');
  }

  exists(name: string): boolean {
    return this.devices.find(name) !== undefined;
  }

  isExternal(name: string): boolean {
    return this.externals.has(name);
  }

  /** Things a real agent drives, from an index: no device is scanned. */
  externalNames(): string[] {
    return this.externals.list();
  }

  describe(name: string): ThingView {
    const device = this.devices.find(name);
    if (!device) throw notFound('Thing', name);
    return this.viewOf(device);
  }

  /** Where the thing sits in its fleet, when it is a fleet member (range targets for jobs). */
  fleetPlaceOf(name: string): FleetPlace | undefined {
    const member = this.devices.index.memberOf(name);
    if (!member || member.view.isDeleted(member.n)) return undefined;
    return { fleet: member.view, prefix: member.view.fleet.prefix, n: member.n };
  }

  /** The thing's stored registry data (attributes, version, billing group, tags), defaults when it has none. */
  registryOf(name: string): ThingRecord {
    return this.registry.get(name) ?? NO_REGISTRY_DATA;
  }

  /** Runs a write that reads, checks and commits a thing's registry data after the earlier ones on that thing. */
  exclusive<T>(name: string, write: () => Promise<T>): Promise<T> {
    return this.writes.run(name, write);
  }

  /** Creates a simulated device; asking again with the same type and attributes answers the existing thing. */
  create(name: string, input: ThingInput): Promise<ThingView> {
    return this.exclusive(name, async () => {
      const attributes = input.attributes ?? {};
      const existing = this.devices.find(name);
      if (existing) {
        const view = this.viewOf(existing);
        if (view.typeName === input.typeName && sameAttributes(view.attributes, attributes) && view.billingGroup === input.billingGroup) return view;
        throw conflict(`Thing ${name} already exists in account with different attributes`);
      }
      if (input.typeName !== undefined) this.checkUsableType(input.typeName, 'create new thing');
      checkAttributeCount(name, input.typeName, attributes);
      if (input.billingGroup !== undefined && !this.store.repository('billingGroups').has(input.billingGroup)) {
        throw notFound('Billing group', input.billingGroup);
      }
      assertThingName(name);
      const device: DeviceRecord = {
        id: name,
        etag: newEtag(),
        displayName: name,
        enabled: true,
        simulated: true,
        ...(input.typeName !== undefined && { template: input.typeName }),
        ...(attributes[EXTERNAL_ATTRIBUTE] === 'true' && { external: true }),
      };
      const record: ThingRecord = { attributes, version: 1, ...(input.billingGroup !== undefined && { billingGroup: input.billingGroup }) };
      // The registry data commits with the device, in one transaction; a deleted device's old attributes and groups
      // (left when IoT Central deleted it) do not come back.
      await this.devices.save(device, (tx) => {
        if (Object.keys(attributes).length > 0 || input.billingGroup !== undefined) tx.put('things', name, record);
        else if (this.registry.has(name)) tx.delete('things', name);
        for (const group of this.members.groupsOf(name)) tx.delete('thingGroupMembers', memberKey(group, name));
      });
      return this.describe(name);
    });
  }

  /** UpdateThing; answers the thing's new version. */
  update(name: string, update: ThingUpdate): Promise<number> {
    return this.exclusive(name, async () => {
      const device = this.devices.find(name);
      if (!device) throw notFound('Thing', name);
      const view = this.viewOf(device);
      checkExpectedVersion('thing', name, view.version, update.expectedVersion);
      if (update.typeName !== undefined && update.removeType) throw invalid('Give either thingTypeName or removeThingType, not both.');
      if (update.typeName !== undefined) this.checkUsableType(update.typeName, 'update a thing to');
      const record: ThingRecord = {
        ...this.registryOf(name),
        attributes: update.attributes ? attributesAfter(view.attributes, update.attributes, update.merge ?? false) : view.attributes,
        version: view.version + 1,
      };
      const stage = (tx: Transaction<FleetlabSchema>) => tx.put('things', name, record);
      const template = update.removeType ? undefined : (update.typeName ?? device.template);
      checkAttributeCount(name, template, record.attributes);
      if (template === device.template) {
        await this.store.commit(stage);
      } else {
        const { template: _old, ...rest } = device;
        await this.devices.save({ ...rest, etag: newEtag(), ...(template !== undefined && { template }) }, stage);
      }
      return record.version;
    });
  }

  /** DeleteThing: the device, its registry data and its group memberships, in one commit; an unknown thing is no error (as in AWS). */
  remove(name: string, expectedVersion: number | undefined): Promise<void> {
    return this.exclusive(name, async () => {
      const device = this.devices.find(name);
      if (!device) return;
      checkExpectedVersion('thing', name, this.viewOf(device).version, expectedVersion);
      const detachCertificates = stageDetachAll(this.store, name);
      await this.devices.remove(name, (tx) => {
        if (this.registry.has(name)) tx.delete('things', name);
        for (const group of this.members.groupsOf(name)) tx.delete('thingGroupMembers', memberKey(group, name));
        detachCertificates(tx);
      });
    });
  }

  /** Every thing's name, in listing order, a page of the catalog at a time (a scan: for rare operations only). */
  *allNames(): Generator<string> {
    for (let start = 0; start < this.devices.count(); start += SCAN_STEP) {
      for (const device of this.devices.page(start, start + SCAN_STEP)) yield device.id;
    }
  }

  /** Things at positions [offset, offset + limit) of the listing, with whether more follow. */
  list(filter: ThingFilter, offset: number, limit: number): { things: ThingView[]; more: boolean } {
    if (filter.attributeValue !== undefined && filter.attributeName === undefined) {
      throw invalid('attributeValue needs attributeName.');
    }
    if (filter.attributeName === undefined && filter.typeName === undefined) {
      const page = this.devices.page(offset, offset + limit).map((device) => this.describe(device.id));
      return { things: page, more: offset + page.length < this.devices.count() };
    }
    const matches = (thing: ThingView) => matchesFilter(thing, filter);
    const found: ThingView[] = [];
    const wanted = offset + limit + 1;
    if (filter.attributeName !== undefined) {
      for (const name of this.registry.ids()) {
        if (!this.exists(name)) continue;
        const thing = this.describe(name);
        if (matches(thing) && found.push(thing) >= wanted) break;
      }
    } else {
      for (let start = 0; start < this.devices.count() && found.length < wanted; start += SCAN_STEP) {
        for (const device of this.devices.page(start, start + SCAN_STEP)) {
          const thing = this.describe(device.id);
          if (matches(thing) && found.push(thing) >= wanted) break;
        }
      }
    }
    return { things: found.slice(offset, offset + limit), more: found.length > offset + limit };
  }

  private checkUsableType(typeName: string, action: string): void {
    if (!this.templates.exists(typeName)) throw notFound('Thing type (device template)', typeName);
    if (this.store.repository('thingTypes').get(typeName)?.deprecated) throw invalid(`Can not ${action} deprecated thing type ${typeName}`);
  }

  private viewOf(device: DeviceRecord): ThingView {
    const registry = this.registryOf(device.id);
    return {
      name: device.id,
      id: thingIdOf(device.id),
      ...(device.template !== undefined && { typeName: device.template }),
      attributes: registry.attributes,
      version: registry.version,
      ...(registry.billingGroup !== undefined && { billingGroup: registry.billingGroup }),
    };
  }
}

/** Fleet devices have no stored record, so the thing id derives from the name. */
export const thingIdOf = (name: string) => stableUuid(`thing:${name}`);

function matchesFilter(thing: ThingView, filter: ThingFilter): boolean {
  if (filter.typeName !== undefined && thing.typeName !== filter.typeName) return false;
  if (filter.attributeName === undefined) return true;
  const value = thing.attributes[filter.attributeName];
  if (value === undefined) return false;
  if (filter.attributeValue === undefined) return true;
  return filter.usePrefixAttributeValue ? value.startsWith(filter.attributeValue) : value === filter.attributeValue;
}

export function sameAttributes(a: Record<string, string> = {}, b: Record<string, string> = {}): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
