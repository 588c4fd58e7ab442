import { createHash } from 'node:crypto';
import type { AppStore } from '../../store/app-store.js';
import type { DeviceRecord } from '../../store/records.js';
import type { DeviceCatalog } from '../devices/device-catalog.js';
import type { DeviceTemplates } from '../devices/device-templates.js';
import { conflict, invalid, notFound } from '../errors.js';

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
  constructor(
    private readonly store: AppStore,
    private readonly devices: DeviceCatalog,
    private readonly templates: DeviceTemplates,
  ) {}

  exists(name: string): boolean {
    return this.devices.find(name) !== undefined;
  }

  isExternal(name: string): boolean {
    return this.devices.find(name)?.external === true;
  }

  /** Things a real agent drives; only individually stored devices can be external, so this never walks a fleet. */
  externalNames(): string[] {
    return Object.values(this.store.data.devices)
      .filter((device) => device.external)
      .map((device) => device.id);
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
      throw conflict(`Thing "${name}" already exists with a different thing type or attributes.`);
    }
    if (input.typeName !== undefined && !this.templates.exists(input.typeName)) {
      throw notFound('Thing type (device template)', input.typeName);
    }
    if (!/^[a-zA-Z0-9-]+$/.test(name)) {
      throw invalid(`Thing name "${name}" cannot be a Fleetlab device id; use letters, digits and hyphens only.`);
    }
    if (Object.keys(attributes).length > 0) this.store.data.things[name] = { attributes, version: 1 };
    const device = await this.devices.put(name, { simulated: true, ...(input.typeName !== undefined && { template: input.typeName }) });
    if (attributes[EXTERNAL_ATTRIBUTE] === 'true') await this.devices.save({ ...this.devices.require(name), external: true });
    return this.describe(device.id);
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
      for (const name of Object.keys(this.store.data.things)) {
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
    const registry = this.store.data.things[device.id];
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
