import type { OrganizationRecord } from '../../store/records.js';
import { conflict, invalid, notFound } from '../errors.js';
import { checkEtag } from '../etag.js';
import type { AppStore } from '../persisted.js';

export interface OrganizationInput {
  displayName?: string;
  parent?: string;
}

/** IoT Central organizations: a tree (each may name a parent) that devices and device groups can belong to. */
export class Organizations {
  constructor(
    private readonly store: AppStore,
    /** Whether devices or groups still reference an organization; such organizations cannot be deleted. */
    private readonly inUse: (organizationId: string) => boolean,
  ) {}

  list(): OrganizationRecord[] {
    return this.store.repository('organizations').list();
  }

  exists(id: string): boolean {
    return this.store.repository('organizations').has(id);
  }

  get(id: string): OrganizationRecord {
    const record = this.store.repository('organizations').get(id);
    if (!record) throw notFound('Organization', id);
    return record;
  }

  async put(id: string, input: OrganizationInput): Promise<OrganizationRecord> {
    return this.save({
      id,
      displayName: input.displayName ?? id,
      ...(input.parent !== undefined && { parent: input.parent }),
    });
  }

  /** Organizations carry no etag: an If-Match can only be `*`. */
  async update(id: string, patch: OrganizationInput, ifMatch?: string): Promise<OrganizationRecord> {
    const existing = this.get(id);
    checkEtag('Organization', existing, ifMatch);
    return this.save({
      ...existing,
      ...(patch.displayName !== undefined && { displayName: patch.displayName }),
      ...(patch.parent !== undefined && { parent: patch.parent }),
    });
  }

  async remove(id: string): Promise<void> {
    this.get(id);
    const children = this.list().filter((organization) => organization.parent === id);
    if (children.length > 0) throw conflict(`Organization "${id}" has child organizations (${children.map((c) => c.id).join(', ')}).`);
    if (this.inUse(id)) throw conflict(`Organization "${id}" is used by devices or device groups.`);
    await this.store.commit((tx) => tx.delete('organizations', id));
  }

  private async save(record: OrganizationRecord): Promise<OrganizationRecord> {
    if (record.parent !== undefined) {
      if (!this.exists(record.parent)) throw invalid(`Parent organization "${record.parent}" does not exist.`);
      for (let ancestor: string | undefined = record.parent; ancestor !== undefined; ancestor = this.store.repository('organizations').get(ancestor)?.parent) {
        if (ancestor === record.id) throw invalid(`Organization "${record.id}" cannot be its own ancestor.`);
      }
    }
    await this.store.commit((tx) => tx.put('organizations', record.id, record));
    return record;
  }
}
