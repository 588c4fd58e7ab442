import type { DeviceTemplateRecord } from '../../store/records.js';
import { conflict, invalid, notFound } from '../errors.js';
import type { AppStore } from '../persisted.js';
import type { StageWrites } from './device-catalog.js';
import { CapabilityIndex, type Capability, type CapabilityKind } from './capabilities.js';
import { checkEtag, newEtag } from '../etag.js';
import { conformValue } from './value-schema.js';

export interface DeviceTemplateInput {
  /** The model's types; a new template without them is a device model. */
  types?: string[];
  etag?: string;
  displayName?: string;
  description?: string;
  capabilityModel?: Record<string, unknown>;
  /** Fields the client sent that the template does not model, kept and shown as sent (null removes one on update). */
  echoed?: Record<string, unknown>;
}

const KIND_NAMES: Record<CapabilityKind, string> = { property: 'property', command: 'command', cloudProperty: 'cloud property' };

/** Device templates (IoT Central's `capabilityModel` in DTDL v2/v3) and the capability index parsed from each. */
export class DeviceTemplates {
  private readonly indexes = new Map<string, { etag: string; index: CapabilityIndex }>();

  constructor(
    private readonly store: AppStore,
    /** Whether devices still use a template; such templates cannot be deleted. */
    private readonly inUse: (templateId: string) => boolean,
  ) {}

  list(): DeviceTemplateRecord[] {
    return this.store.repository('deviceTemplates').list();
  }

  exists(id: string): boolean {
    return this.store.repository('deviceTemplates').has(id);
  }

  get(id: string): DeviceTemplateRecord {
    return this.require(id);
  }

  async put(id: string, input: DeviceTemplateInput): Promise<DeviceTemplateRecord> {
    // DTMIs and the urn: ids older apps use need no more than these characters.
    if (!/^[A-Za-z0-9:;._-]{1,255}$/.test(id)) {
      throw invalid(`Device template id "${id}" is invalid: use up to 255 letters, digits and ":", ";", ".", "_", "-" (a DTMI).`);
    }
    const existing = this.store.repository('deviceTemplates').get(id);
    if (existing) checkEtag('Device template', existing, input.etag);
    const record: DeviceTemplateRecord = {
      id,
      etag: newEtag(),
      types: input.types ?? ['ModelDefinition', 'DeviceModel'],
      capabilityModel: input.capabilityModel ?? {},
      ...(input.displayName !== undefined && { displayName: input.displayName }),
      ...(input.description !== undefined && { description: input.description }),
      ...withEchoed(input.echoed ?? {}),
      ...(existing?.behavior && { behavior: existing.behavior }),
    };
    return this.save(record);
  }

  async update(id: string, patch: DeviceTemplateInput, ifMatch?: string): Promise<DeviceTemplateRecord> {
    const existing = this.require(id);
    checkEtag('Device template', existing, ifMatch ?? patch.etag);
    const echoed = Object.entries({ ...existing.echoed, ...patch.echoed }).filter(([, value]) => value !== null);
    return this.save({
      ...existing,
      etag: newEtag(),
      ...(patch.types !== undefined && { types: patch.types }),
      ...(patch.capabilityModel !== undefined && { capabilityModel: patch.capabilityModel }),
      ...(patch.displayName !== undefined && { displayName: patch.displayName }),
      ...(patch.description !== undefined && { description: patch.description }),
      echoed: Object.fromEntries(echoed),
    });
  }

  /** `stage` adds another service's writes to the same commit (an AWS thing type is a device template). */
  async save(record: DeviceTemplateRecord, stage?: StageWrites): Promise<DeviceTemplateRecord> {
    const index = new CapabilityIndex(record.capabilityModel);
    await this.store.commit((tx) => {
      tx.put('deviceTemplates', record.id, record);
      stage?.(tx);
    });
    this.indexes.set(record.id, { etag: record.etag, index });
    return record;
  }

  async remove(id: string, stage?: StageWrites): Promise<void> {
    this.require(id);
    if (this.inUse(id)) throw conflict(`Device template "${id}" is used by devices; delete or migrate them first.`);
    await this.store.commit((tx) => {
      tx.delete('deviceTemplates', id);
      stage?.(tx);
    });
    this.indexes.delete(id);
  }

  require(id: string): DeviceTemplateRecord {
    const record = this.store.repository('deviceTemplates').get(id);
    if (!record) throw notFound('Device template', id);
    return record;
  }

  capabilities(templateId: string): CapabilityIndex | undefined {
    const record = this.store.repository('deviceTemplates').get(templateId);
    if (!record) return undefined;
    const cached = this.indexes.get(templateId);
    if (cached?.etag === record.etag) return cached.index;
    const index = new CapabilityIndex(record.capabilityModel);
    this.indexes.set(templateId, { etag: record.etag, index });
    return index;
  }

  /** A capability by `name` or `component.name`, or undefined when the template or the capability does not exist. */
  capability(templateId: string, kind: CapabilityKind, path: string): Capability | undefined {
    return this.capabilities(templateId)?.get(kind, path);
  }

  /**
   * The value a job sends for a capability, checked against the template and converted to the schema's JSON type
   * ("55" for a double becomes 55). Throws InvalidInput when the template, capability or writability is missing or
   * the value does not fit.
   */
  normalizeJobValue(templateId: string, kind: CapabilityKind, path: string, value: unknown): unknown {
    const index = this.capabilities(templateId);
    if (!index) throw invalid(`Device template "${templateId}" does not exist.`);
    const capability = index.get(kind, path);
    if (!capability) {
      const other = index.anyAt(path);
      const hint = other ? `; "${path}" is a ${KIND_NAMES[other.kind]}` : '';
      throw invalid(`Device template "${templateId}" has no ${KIND_NAMES[kind]} "${path}"${hint}.`);
    }
    if (kind === 'property' && !capability.writable) {
      throw invalid(`Property "${path}" of device template "${templateId}" is read-only; only writable properties can be set.`);
    }
    return conformValue(capability.schema, value, `The value for "${path}"`);
  }
}

function withEchoed(echoed: Record<string, unknown>): Pick<DeviceTemplateRecord, 'echoed'> {
  return Object.keys(echoed).length > 0 ? { echoed } : {};
}
