import type { DeviceRelationshipRecord } from '../../store/records.js';
import { invalid, notFound } from '../errors.js';
import type { AppStore } from '../persisted.js';
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
    const own = Object.values(this.heldBy(deviceId));
    const naming = this.owners()
      .filter((owner) => owner !== deviceId)
      .flatMap((owner) => Object.values(this.heldBy(owner)).filter((record) => record.source === deviceId || record.target === deviceId));
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
    await this.catalog.serialize(owner, async () => {
      if (!ownEntry(this.heldBy(owner), relationshipId)) throw notFound('Relationship', relationshipId);
      const { [relationshipId]: _removed, ...kept } = this.heldBy(owner);
      await this.store.commit((tx) => {
        if (Object.keys(kept).length === 0) tx.delete('deviceRelationships', owner);
        else tx.put('deviceRelationships', owner, kept);
      });
    });
  }

  private save(owner: string, id: string, input: RelationshipInput): Promise<DeviceRelationshipRecord> {
    return this.catalog.serialize(owner, async () => {
      const source = input.source ?? owner;
      const target = input.target;
      if (target === undefined) throw invalid('target: name the device at the other end of the relationship.');
      if (source !== owner && target !== owner) throw invalid(`One end of the relationship (source or target) must be device "${owner}".`);
      if (source === target) throw invalid('source and target must be different devices.');
      for (const [field, device] of [['source', source], ['target', target]] as const) {
        if (!this.catalog.find(device)) throw invalid(`${field}: device "${device}" does not exist.`);
      }
      const record: DeviceRelationshipRecord = { id, source, target };
      await this.store.commit((tx) => tx.put('deviceRelationships', owner, { ...this.heldBy(owner), [id]: record }));
      return record;
    });
  }

  /** The device's own relationship with that id, else one another device holds that names this device. */
  private locate(deviceId: string, relationshipId: string): { owner: string; record: DeviceRelationshipRecord } {
    this.catalog.require(deviceId);
    const own = ownEntry(this.heldBy(deviceId), relationshipId);
    if (own) return { owner: deviceId, record: own };
    for (const owner of this.owners()) {
      const record = ownEntry(this.heldBy(owner), relationshipId);
      if (record && (record.source === deviceId || record.target === deviceId)) return { owner, record };
    }
    throw notFound('Relationship', relationshipId);
  }

  /** Devices holding relationships; only devices that have any are stored, so this does not walk the fleet. */
  private owners(): string[] {
    return this.store.repository('deviceRelationships').ids();
  }

  private heldBy(owner: string): Record<string, DeviceRelationshipRecord> {
    return this.store.repository('deviceRelationships').get(owner) ?? {};
  }
}

function ownEntry<T>(map: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}
