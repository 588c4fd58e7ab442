import { createHash } from 'node:crypto';
import type { DeviceRecord, ThingRecord } from '../../store/records.js';
import type { Repository } from '../../store/store.js';
import type { DeviceCatalog } from '../devices/device-catalog.js';
import type { DeviceTemplates } from '../devices/device-templates.js';
import { newEtag } from '../devices/etag.js';
import { conflict, invalid, notFound } from '../errors.js';
import type { AppStore } from '../persisted.js';
import { ExternalThings } from './external-things.js';
import { assertThingName } from './thing-names.js';

/** A device as an AWS IoT thing: the thing name is the device id, the thing type its device template. */
export interface ThingView {
  name: string;
  id: string;
  typeName?: string;
  attributes: Record<string, string>;
  version: number;
}

export interface ThingInput {
  typeName?: string;
  attributes?: Record<string, string>;
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

/** The AWS IoT registry view of the device catalog; every device, simulated fleets included, is a thing. */
export class Things {
  private readonly externals: ExternalThings;

  constructor(
    private readonly store: AppStore,
    private readonly devices: DeviceCatalog,
    private readonly templates: DeviceTemplates,
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

  /** Creates a simulated device; asking again with the same type and attributes answers the existing thing. */
  async create(name: string, input: ThingInput): Promise<ThingView> {
    const attributes = input.attributes ?? {};
    const existing = this.devices.find(name);
    if (existing) {
      const view = this.viewOf(existing);
      if (view.typeName === input.typeName && sameAttributes(view.attributes, attributes)) return view;
      throw conflict(`Thing ${name} already exists in account with different attributes`);
    }
    if (input.typeName !== undefined && !this.templates.exists(input.typeName)) {
      throw notFound('Thing type (device template)', input.typeName);
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
    // The registry data commits with the device, in one transaction; a deleted device's old attributes do not come back.
    await this.devices.save(device, (tx) => {
      if (Object.keys(attributes).length > 0) tx.put('things', name, { attributes, version: 1 });
      else if (this.registry.has(name)) tx.delete('things', name);
    });
    return this.describe(name);
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

  private viewOf(device: DeviceRecord): ThingView {
    const registry = this.registry.get(device.id);
    return {
      name: device.id,
      id: thingIdOf(device.id),
      ...(device.template !== undefined && { typeName: device.template }),
      attributes: registry?.attributes ?? {},
      version: registry?.version ?? 1,
    };
  }
}

/** A stable UUID-shaped thing id derived from the name, so fleet devices need no stored record. */
export function thingIdOf(name: string): string {
  const hex = createHash('sha256').update(`thing:${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

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
