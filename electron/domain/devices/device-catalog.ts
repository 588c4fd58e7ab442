import type { AppStore } from '../../store/app-store.js';
import type { DeviceRecord, FleetRecord } from '../../store/records.js';
import { conflict, invalid, notFound } from '../errors.js';
import { checkEtag, newEtag } from './etag.js';
import { FleetIndex, splitFleetId, type FleetView } from './fleet-index.js';

/** A device as the IoT Central API shows it. */
export interface DeviceView {
  id: string;
  etag: string;
  displayName: string;
  template?: string;
  enabled: boolean;
  provisioned: boolean;
  simulated: boolean;
  organizations?: string[];
}

export interface DeviceInput {
  etag?: string;
  displayName?: string;
  template?: string;
  enabled?: boolean;
  simulated?: boolean;
  organizations?: string[];
}

export interface FleetInput {
  template: string;
  count: number;
  idPrefix: string;
  simulated?: boolean;
}

export interface FleetCreated {
  count: number;
  firstId: string;
  lastId: string;
  durationMs: number;
}

/** What the catalog checks references against (templates and organizations live in their own services). */
export interface CatalogReferences {
  templateExists(id: string): boolean;
  organizationExists(id: string): boolean;
}

export const MAX_DEVICE_ID_LENGTH = 128;
const DEVICE_ID = /^[a-zA-Z0-9-]+$/;

export function assertDeviceId(id: string): void {
  if (!DEVICE_ID.test(id) || id.length > MAX_DEVICE_ID_LENGTH) {
    throw invalid(`Device id "${id}" is invalid: use 1 to ${MAX_DEVICE_ID_LENGTH} letters, digits and hyphens.`);
  }
}

/** A fleet member nobody edited: every attribute comes from its fleet. */
export function fleetDevice(fleet: FleetRecord, n: number): DeviceRecord {
  const id = `${fleet.prefix}-${n}`;
  return { id, etag: `fleet-${fleet.prefix}-${fleet.first}`, displayName: id, template: fleet.template, enabled: true, simulated: fleet.simulated };
}

export function toView(record: DeviceRecord): DeviceView {
  const { behavior: _behavior, online: _online, ...view } = record;
  return { ...view, provisioned: record.simulated };
}

/**
 * Every device: individually created ones (store.data.devices) and bulk fleets stored as ranges, with edits and
 * deletions of fleet members kept as exceptions. Listing order: individual devices, then each fleet's members.
 */
export class DeviceCatalog {
  private cached?: FleetIndex;

  constructor(
    private readonly store: AppStore,
    private readonly references: CatalogReferences,
  ) {}

  get index(): FleetIndex {
    return (this.cached ??= new FleetIndex(this.store.data));
  }

  count(): number {
    return this.index.total;
  }

  /** Devices at listing positions [start, end). */
  page(start: number, end: number): DeviceView[] {
    const { standalone, fleets } = this.index;
    const out = standalone.slice(start, end).map(toView);
    let offset = standalone.length;
    for (const view of fleets) {
      if (out.length >= end - start) break;
      if (start < offset + view.visible) out.push(...this.fleetPage(view, Math.max(0, start - offset), end - start - out.length));
      offset += view.visible;
    }
    return out;
  }

  /** A device's listing position (what `page` counts in), or -1 when it does not exist. */
  positionOf(id: string): number {
    const { standalone, fleets } = this.index;
    const own = standalone.findIndex((record) => record.id === id);
    if (own >= 0) return own;
    const member = this.index.memberOf(id);
    if (!member || this.index.isDeleted(id)) return -1;
    let offset = standalone.length;
    for (const view of fleets) {
      if (view.fleet === member.fleet) return offset + member.n - view.fleet.first - view.deleted.filter((n) => n < member.n).length;
      offset += view.visible;
    }
    return -1;
  }

  /** The stored or fleet-derived record of a device, or undefined when it does not exist. */
  find(id: string): DeviceRecord | undefined {
    const record = this.store.data.devices[id];
    if (record) return record;
    const member = this.index.memberOf(id);
    if (!member || this.index.isDeleted(id)) return undefined;
    return fleetDevice(member.fleet, member.n);
  }

  get(id: string): DeviceView {
    return toView(this.require(id));
  }

  require(id: string): DeviceRecord {
    const record = this.find(id);
    if (!record) throw notFound('Device', id);
    return record;
  }

  /** Creates a device, or replaces an existing one (PUT semantics). */
  async put(id: string, input: DeviceInput): Promise<DeviceView> {
    assertDeviceId(id);
    const existing = this.find(id);
    if (existing) checkEtag('Device', existing, input.etag);
    const record: DeviceRecord = {
      id,
      etag: newEtag(),
      displayName: input.displayName ?? id,
      enabled: input.enabled ?? true,
      simulated: input.simulated ?? false,
      ...(input.template !== undefined && { template: input.template }),
      ...(input.organizations !== undefined && { organizations: input.organizations }),
      ...(existing?.behavior && { behavior: existing.behavior }),
      ...(existing?.online !== undefined && { online: existing.online }),
      ...(existing?.external && { external: true }),
    };
    return toView(await this.save(record));
  }

  async update(id: string, patch: DeviceInput, ifMatch?: string): Promise<DeviceView> {
    const existing = this.require(id);
    checkEtag('Device', existing, ifMatch ?? patch.etag);
    const { etag: _etag, ...fields } = patch;
    const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    return toView(await this.save({ ...existing, ...defined, etag: newEtag() }));
  }

  /** Stores a device record (new, replaced or edited) after checking what it references. */
  async save(record: DeviceRecord): Promise<DeviceRecord> {
    if (record.template !== undefined && !this.references.templateExists(record.template)) {
      throw invalid(`Device template "${record.template}" does not exist.`);
    }
    for (const organization of record.organizations ?? []) {
      if (!this.references.organizationExists(organization)) throw invalid(`Organization "${organization}" does not exist.`);
    }
    const data = this.store.data;
    if (this.index.isDeleted(record.id)) data.deletedFleetDevices = data.deletedFleetDevices.filter((gone) => gone !== record.id);
    data.devices[record.id] = record;
    this.invalidate();
    await this.store.save();
    return record;
  }

  async remove(id: string): Promise<void> {
    this.require(id);
    const data = this.store.data;
    delete data.devices[id];
    delete data.deviceTwins[id];
    delete data.deviceAttestations[id];
    delete data.deviceRelationships[id];
    if (this.index.memberOf(id)) data.deletedFleetDevices.push(id);
    this.invalidate();
    await this.store.save();
  }

  async createFleet(input: FleetInput, now: () => number): Promise<FleetCreated> {
    const started = now();
    if (!this.references.templateExists(input.template)) throw notFound('Device template', input.template);
    const lastId = `${input.idPrefix}-${input.count}`;
    assertDeviceId(lastId);
    const fleet: FleetRecord = { prefix: input.idPrefix, first: 1, count: input.count, template: input.template, simulated: input.simulated ?? true };
    if (this.index.overlaps(fleet.prefix, fleet.first, fleet.count) || this.collidesWithDevice(fleet)) {
      throw conflict(`Devices "${fleet.prefix}-1" to "${lastId}" collide with existing devices.`);
    }
    this.store.data.fleets.push(fleet);
    this.invalidate();
    await this.store.save();
    return { count: fleet.count, firstId: `${fleet.prefix}-1`, lastId, durationMs: now() - started };
  }

  fleets(): FleetRecord[] {
    return this.store.data.fleets;
  }

  usesTemplate(templateId: string): boolean {
    return (
      this.store.data.fleets.some((fleet) => fleet.template === templateId) ||
      Object.values(this.store.data.devices).some((device) => device.template === templateId)
    );
  }

  usesOrganization(organizationId: string): boolean {
    return Object.values(this.store.data.devices).some((device) => device.organizations?.includes(organizationId));
  }

  private collidesWithDevice(fleet: FleetRecord): boolean {
    return Object.keys(this.store.data.devices).some((id) => {
      const parts = splitFleetId(id);
      return parts?.prefix === fleet.prefix && parts.n >= fleet.first && parts.n < fleet.first + fleet.count;
    });
  }

  private fleetPage(view: FleetView, skip: number, limit: number): DeviceView[] {
    const out: DeviceView[] = [];
    const deleted = new Set(view.deleted);
    const end = view.fleet.first + view.fleet.count;
    for (let n = FleetIndex.nthMember(view, skip); n < end && out.length < limit; n++) {
      if (deleted.has(n)) continue;
      out.push(toView(view.overrides.get(n) ?? fleetDevice(view.fleet, n)));
    }
    return out;
  }

  /** Forgets the fleet index built from the store, after the store changed underneath (a reset or snapshot import). */
  invalidate(): void {
    this.cached = undefined;
  }
}
