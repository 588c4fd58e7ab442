import type { DeviceGroupRecord } from '../../store/records.js';
import { invalid, notFound } from '../errors.js';
import type { DeviceSlice } from '../fleet-executor.js';
import { DeviceSet } from '../jobs/device-set.js';
import type { AppStore } from '../persisted.js';
import { fieldsOf } from '../query/evaluate.js';
import { DEFAULT_FILTER_LIMITS, type FilterLimits } from '../query/filter-limits.js';
import { parseDeviceQuery, type DeviceQuery } from '../query/parser.js';
import { toView, type DeviceCatalog, type DeviceView } from './device-catalog.js';
import { checkEtag, newEtag } from '../etag.js';
import { SYSTEM_FIELDS, resolveMembers, type PropertyReader } from './group-membership.js';

export interface DeviceGroupInput {
  etag?: string;
  displayName?: string;
  description?: string;
  filter?: string;
  organizations?: string[];
}

export interface ResolvedGroup {
  slices: DeviceSlice[];
  total: number;
}

/** Device groups: a name and an IoT Central query; membership is evaluated when asked for. */
export class DeviceGroups {
  private readonly queries = new Map<string, DeviceQuery>();
  private lastResolved?: { group: DeviceGroupRecord; devicesVersion: number; result: ResolvedGroup };

  constructor(
    private readonly store: AppStore,
    private readonly catalog: DeviceCatalog,
    private readonly property: PropertyReader,
    private readonly organizationExists: (id: string) => boolean,
    private readonly filterLimits: FilterLimits = DEFAULT_FILTER_LIMITS,
  ) {}

  list(): DeviceGroupRecord[] {
    return this.store.repository('deviceGroups').list();
  }

  get(id: string): DeviceGroupRecord {
    const record = this.store.repository('deviceGroups').get(id);
    if (!record) throw notFound('Device group', id);
    return record;
  }

  async put(id: string, input: DeviceGroupInput): Promise<DeviceGroupRecord> {
    const existing = this.store.repository('deviceGroups').get(id);
    if (existing) checkEtag('Device group', existing, input.etag);
    return this.save({
      id,
      etag: newEtag(),
      displayName: input.displayName ?? id,
      filter: input.filter ?? 'SELECT * FROM devices',
      ...(input.description !== undefined && { description: input.description }),
      ...(input.organizations !== undefined && { organizations: input.organizations }),
    });
  }

  async update(id: string, patch: DeviceGroupInput, ifMatch?: string): Promise<DeviceGroupRecord> {
    const existing = this.get(id);
    checkEtag('Device group', existing, ifMatch ?? patch.etag);
    const { etag: _etag, ...fields } = patch;
    const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    return this.save({ ...existing, ...defined, etag: newEtag() });
  }

  async remove(id: string): Promise<void> {
    this.get(id);
    await this.store.commit((tx) => tx.delete('deviceGroups', id));
  }

  usesOrganization(organizationId: string): boolean {
    return this.list().some((group) => group.organizations?.includes(organizationId));
  }

  /**
   * A job scoped to `organizations` may target a group only when each organization exists and the group belongs to
   * it or to an organization below it: what a user of that organization can see in IoT Central.
   */
  checkVisibleIn(groupId: string, organizations: readonly string[]): void {
    const group = this.get(groupId);
    const all = this.store.repository('organizations');
    for (const organization of organizations) {
      if (!all.has(organization)) throw invalid(`Organization "${organization}" does not exist.`);
      const visible = (group.organizations ?? []).some((owner) => {
        for (let at: string | undefined = owner; at !== undefined; at = all.get(at)?.parent) if (at === organization) return true;
        return false;
      });
      if (!visible) throw invalid(`Device group "${groupId}" is not visible in organization "${organization}"; assign the group to it or to one of its sub-organizations.`);
    }
  }

  /** The group's current members in a stable order (individual devices, then fleets), as executor slices. */
  resolveGroup(groupId: string): ResolvedGroup {
    const group = this.get(groupId);
    const index = this.catalog.index;
    const query = this.query(group.filter);
    const readsProperties = [...fieldsOf(query.where)].some((field) => !field.startsWith('$'));
    const last = this.lastResolved;
    if (!readsProperties && last?.group === group && last.devicesVersion === index.version) return last.result;
    const slices = resolveMembers(query, index, this.property);
    const result = { slices, total: new DeviceSet(slices).size };
    this.lastResolved = { group, devicesVersion: index.version, result };
    return result;
  }

  /** Members at positions [start, end) of the group's current membership, with the total. */
  members(groupId: string, start: number, end: number): { total: number; page: DeviceView[] } {
    const { slices, total } = this.resolveGroup(groupId);
    const ids = new DeviceSet(slices).ids(start, end);
    return { total, page: ids.map((id) => toView(this.catalog.require(id))) };
  }

  /** How many devices a filter matches now, with the first ids: the group editor's live count before saving. */
  preview(filter: string, sampleSize: number): { count: number; sample: string[] } {
    const query = this.query(filter);
    const unknown = [...fieldsOf(query.where)].find((field) => field.startsWith('$') && !(SYSTEM_FIELDS as readonly string[]).includes(field));
    if (unknown) throw invalid(`The filter uses unknown device attribute "${unknown}"; known attributes are ${SYSTEM_FIELDS.join(', ')}.`);
    const members = new DeviceSet(resolveMembers(query, this.catalog.index, this.property));
    return { count: members.size, sample: members.ids(0, Math.min(sampleSize, members.size)) };
  }

  private async save(record: DeviceGroupRecord): Promise<DeviceGroupRecord> {
    const query = this.query(record.filter);
    for (const field of fieldsOf(query.where)) {
      if (field.startsWith('$') && !(SYSTEM_FIELDS as readonly string[]).includes(field)) {
        throw invalid(`The filter uses unknown device attribute "${field}"; known attributes are ${SYSTEM_FIELDS.join(', ')}.`);
      }
    }
    for (const organization of record.organizations ?? []) {
      if (!this.organizationExists(organization)) throw invalid(`Organization "${organization}" does not exist.`);
    }
    await this.store.commit((tx) => tx.put('deviceGroups', record.id, record));
    return record;
  }

  private query(filter: string): DeviceQuery {
    let query = this.queries.get(filter);
    if (!query) {
      query = parseDeviceQuery(filter, this.filterLimits);
      this.queries.set(filter, query);
    }
    return query;
  }
}
