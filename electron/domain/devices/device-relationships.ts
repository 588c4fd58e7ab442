import type { AppStore } from '../../store/app-store.js';
import type { DeviceRelationshipRecord } from '../../store/records.js';
import { invalid, notFound } from '../errors.js';
import type { DeviceCatalog } from './device-catalog.js';

export interface RelationshipInput {
  source?: string;
  target?: string;
}

// The spec leaves relationship ids open; they follow its JobId rule like other ids a request creates.
// `__proto__` would not be stored as a key of a plain object.
const RELATIONSHIP_ID = /^(?!__proto__$)[a-zA-Z0-9_-]{1,255}$/;

/**
 * Gateway relationships between devices. A relationship is stored under the device whose path created it and is
 * listed for both of its devices: a gateway sees its downstream links, a downstream device sees its gateway.
 */
export class DeviceRelationships {
  constructor(
    private readonly store: AppStore,
    private readonly catalog: DeviceCatalog,
  ) {}

  /** The device's own relationships, then those other devices hold that name it, in creation order. */
  list(deviceId: string): DeviceRelationshipRecord[] {
    this.catalog.require(deviceId);
    const all = this.store.data.deviceRelationships;
    const own = Object.hasOwn(all, deviceId) ? Object.values(all[deviceId]!) : [];
    const naming = Object.entries(all)
      .filter(([owner]) => owner !== deviceId)
      .flatMap(([, byId]) => Object.values(byId).filter((record) => record.source === deviceId || record.target === deviceId));
    return [...own, ...naming];
  }

  get(deviceId: string, relationshipId: string): DeviceRelationshipRecord {
    return this.locate(deviceId, relationshipId).record;
  }

  /** Creates or replaces a relationship; `source` defaults to the device, and one end must be the device. */
  async put(deviceId: string, relationshipId: string, input: RelationshipInput): Promise<DeviceRelationshipRecord> {
    this.catalog.require(deviceId);
    if (!RELATIONSHIP_ID.test(relationshipId)) {
      throw invalid(`Relationship id "${relationshipId}" is invalid: use 1 to 255 letters, digits, "_" and "-".`);
    }
    return this.save(deviceId, relationshipId, input);
  }

  /** Applies already merged fields to a relationship the device holds or is named in. */
  async update(deviceId: string, relationshipId: string, merged: RelationshipInput): Promise<DeviceRelationshipRecord> {
    const { owner } = this.locate(deviceId, relationshipId);
    return this.save(owner, relationshipId, merged);
  }

  async remove(deviceId: string, relationshipId: string): Promise<void> {
    const { owner } = this.locate(deviceId, relationshipId);
    const byId = ownEntry(this.store.data.deviceRelationships, owner)!;
    delete byId[relationshipId];
    if (Object.keys(byId).length === 0) delete this.store.data.deviceRelationships[owner];
    await this.store.save();
  }

  private async save(owner: string, id: string, input: RelationshipInput): Promise<DeviceRelationshipRecord> {
    const source = input.source ?? owner;
    const target = input.target;
    if (target === undefined) throw invalid('target: name the device at the other end of the relationship.');
    if (source !== owner && target !== owner) throw invalid(`One end of the relationship (source or target) must be device "${owner}".`);
    if (source === target) throw invalid('source and target must be different devices.');
    for (const [field, device] of [['source', source], ['target', target]] as const) {
      if (!this.catalog.find(device)) throw invalid(`${field}: device "${device}" does not exist.`);
    }
    const record: DeviceRelationshipRecord = { id, source, target };
    const all = this.store.data.deviceRelationships;
    if (!Object.hasOwn(all, owner)) all[owner] = {};
    all[owner]![id] = record;
    await this.store.save();
    return record;
  }

  /** The device's own relationship with that id, else one another device holds that names this device. */
  private locate(deviceId: string, relationshipId: string): { owner: string; record: DeviceRelationshipRecord } {
    this.catalog.require(deviceId);
    const all = this.store.data.deviceRelationships;
    const own = ownEntry(ownEntry(all, deviceId), relationshipId);
    if (own) return { owner: deviceId, record: own };
    for (const [owner, byId] of Object.entries(all)) {
      const record = ownEntry(byId, relationshipId);
      if (record && (record.source === deviceId || record.target === deviceId)) return { owner, record };
    }
    throw notFound('Relationship', relationshipId);
  }
}

function ownEntry<T>(map: Record<string, T> | undefined, key: string): T | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}
