import type { DeviceTemplateRecord } from '../../store/records.js';
import type { Clock } from '../clock.js';
import type { DeviceTemplates } from '../devices/device-templates.js';
import { newEtag } from '../etag.js';
import { conflict, DomainError, invalid, notFound } from '../errors.js';
import type { AppStore } from '../persisted.js';
import type { Tag } from './aws-job-model.js';
import type { ThingTypeRecord } from './registry-records.js';
import { stableUuid } from './stable-ids.js';

export interface ThingTypeInput {
  description?: string;
  searchableAttributes?: string[];
  tags?: Tag[];
}

/** A thing type as DescribeThingType shows it; a device template made through IoT Central has no AWS properties. */
export type ThingTypeView = Omit<ThingTypeRecord, 'tags' | 'createdAt'> & { createdAt?: number };

/** ThingTypeName: the device templates whose ids fit it are thing types (DTMIs, with ";", do not). */
const THING_TYPE_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;

/**
 * AWS IoT thing types are the emulator's device templates: a thing's type is its device's template. CreateThingType
 * makes a template without capabilities when none has that id; the AWS properties are kept in `thingTypes`.
 */
export class ThingTypes {
  constructor(
    private readonly store: AppStore,
    private readonly templates: DeviceTemplates,
    private readonly clock: Clock,
  ) {}

  /** Creates a thing type; asking again with the same properties answers the existing one. */
  async create(name: string, input: ThingTypeInput): Promise<ThingTypeView> {
    const existing = this.store.repository('thingTypes').get(name);
    if (existing) {
      if (existing.description === input.description && sameList(existing.searchableAttributes, input.searchableAttributes)) return viewOf(existing);
      throw conflict(`Thing Type ${name} already exists in current account with different properties`);
    }
    const record: ThingTypeRecord = {
      name,
      id: thingTypeIdOf(name),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.searchableAttributes !== undefined && { searchableAttributes: input.searchableAttributes }),
      deprecated: false,
      createdAt: this.clock.now(),
      ...(input.tags !== undefined && { tags: input.tags }),
    };
    if (this.templates.exists(name)) {
      await this.store.commit((tx) => tx.put('thingTypes', name, record));
    } else {
      const template: DeviceTemplateRecord = {
        id: name,
        etag: newEtag(),
        types: ['ModelDefinition', 'DeviceModel'],
        displayName: name,
        ...(input.description !== undefined && { description: input.description }),
        capabilityModel: {},
      };
      await this.templates.save(template, (tx) => tx.put('thingTypes', name, record));
    }
    return viewOf(record);
  }

  describe(name: string): ThingTypeView {
    const record = this.store.repository('thingTypes').get(name);
    if (record) return viewOf(record);
    if (!THING_TYPE_NAME.test(name) || !this.templates.exists(name)) throw notFound('Thing type', name);
    return { name, id: thingTypeIdOf(name), deprecated: false };
  }

  /** Every thing type: the device templates whose ids are thing type names, in template order. A rare call: it scans them. */
  list(name?: string): ThingTypeView[] {
    return this.templates
      .list()
      .map((template) => template.id)
      .filter((id) => THING_TYPE_NAME.test(id) && (name === undefined || id === name))
      .map((id) => this.describe(id));
  }

  async deprecate(name: string, undo: boolean): Promise<void> {
    const current = this.store.repository('thingTypes').get(name) ?? this.implicitRecord(name);
    const { deprecatedAt: _at, ...rest } = current;
    const next: ThingTypeRecord = undo ? { ...rest, deprecated: false } : { ...rest, deprecated: true, deprecatedAt: this.clock.now() };
    await this.store.commit((tx) => tx.put('thingTypes', name, next));
  }

  /** DeleteThingType: only a deprecated type that no thing has (the device template goes with it). */
  async remove(name: string): Promise<void> {
    const view = this.describe(name);
    if (!view.deprecated) throw invalid(`Thing type ${name} is not deprecated; deprecate it before deleting it.`);
    try {
      await this.templates.remove(name, (tx) => tx.delete('thingTypes', name));
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'Conflict') throw invalid(`Can not delete thing type ${name}: things are still associated with it.`);
      throw error;
    }
  }

  /** The stored record of a type, for tagging; a template without one gets its defaults. */
  recordOf(name: string): ThingTypeRecord {
    return this.store.repository('thingTypes').get(name) ?? this.implicitRecord(name);
  }

  private implicitRecord(name: string): ThingTypeRecord {
    this.describe(name);
    return { name, id: thingTypeIdOf(name), deprecated: false, createdAt: this.clock.now() };
  }
}

function viewOf(record: ThingTypeRecord): ThingTypeView {
  const { tags: _tags, ...view } = record;
  return view;
}

/** Templates made through IoT Central have no stored record, so the id derives from the name. */
const thingTypeIdOf = (name: string) => stableUuid(`thing-type:${name}`);

function sameList(a: readonly string[] = [], b: readonly string[] = []): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
