import type { DeviceRecord, FleetRecord } from '../../store/records.js';
import type { Transaction } from '../../store/store.js';
import { conflict, invalid, notFound } from '../errors.js';
import type { AppStore, FleetlabSchema } from '../persisted.js';
import { checkEtag, newEtag } from '../etag.js';
import { FleetIndex } from './fleet-index.js';
import type { FleetView } from './fleet-view.js';
import { WriteQueue } from './write-queue.js';

/** A device of the fleet: what the devices API reads and writes (IoT Central shows it as is). */
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

export interface CatalogOptions {
  /** The most devices Fleetlab holds, fleet members included; set with `--max-devices`. */
  maxDevices?: number;
}

/** Writes another service adds to a catalog write, so that both commit as one. */
export type StageWrites = (tx: Transaction<FleetlabSchema>) => void;

export const DEFAULT_MAX_DEVICES = 10_000_000;
const MAX_DEVICE_ID_LENGTH = 128;
// Fleet creations queue under a key no device id can be ('#' is not allowed in one).
const FLEETS_WRITE_KEY = '#fleets';
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
  const { behavior: _behavior, online: _online, provisioned, ...view } = record;
  return { ...view, provisioned: record.simulated || provisioned === true };
}

/**
 * Every device: individually created ones (the `devices` collection) and bulk fleets stored as ranges, with edits
 * and deletions of fleet members kept as exceptions. Listing order: individual devices, then each fleet's members.
 */
export class DeviceCatalog {
  readonly index: FleetIndex;
  private readonly maxDevices: number;
  private readonly writes = new WriteQueue();

  constructor(
    private readonly store: AppStore,
    private readonly references: CatalogReferences,
    options: CatalogOptions = {},
  ) {
    this.index = new FleetIndex(store);
    this.maxDevices = options.maxDevices ?? DEFAULT_MAX_DEVICES;
  }

  count(): number {
    return this.index.total;
  }

  /** Devices at listing positions [start, end). */
  page(start: number, end: number): DeviceView[] {
    const { standalone, fleets } = this.index;
    const out = standalone.slice(start, end).map(toView);
    let offset = standalone.size;
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
    const own = standalone.positionOf(id);
    if (own >= 0) return own;
    const member = this.index.memberOf(id);
    if (!member || member.view.isDeleted(member.n)) return -1;
    let offset = standalone.size;
    for (const view of fleets) {
      if (view === member.view) return offset + member.n - view.fleet.first - view.deletedBefore(member.n);
      offset += view.visible;
    }
    return -1;
  }

  /** The stored or fleet-derived record of a device, or undefined when it does not exist. */
  find(id: string): DeviceRecord | undefined {
    const record = this.store.repository('devices').get(id);
    if (record) return record;
    const member = this.index.memberOf(id);
    if (!member || member.view.isDeleted(member.n)) return undefined;
    return fleetDevice(member.view.fleet, member.n);
  }

  get(id: string): DeviceView {
    return toView(this.require(id));
  }

  require(id: string): DeviceRecord {
    const record = this.find(id);
    if (!record) throw notFound('Device', id);
    return record;
  }

  /**
   * Runs a write that reads, checks and commits state of one device (its record, twin, attestation or
   * relationships) after every earlier such write on that device has finished.
   */
  serialize<T>(deviceId: string, write: () => Promise<T>): Promise<T> {
    return this.writes.run(deviceId, write);
  }

  /** Creates a device, or replaces an existing one (PUT semantics). */
  put(id: string, input: DeviceInput, stage?: StageWrites): Promise<DeviceView> {
    return this.serialize(id, async () => {
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
        ...(existing?.provisioned && { provisioned: true }),
      };
      return toView(await this.commitDevice(record, stage));
    });
  }

  update(id: string, patch: DeviceInput, ifMatch?: string): Promise<DeviceView> {
    return this.serialize(id, async () => {
      const existing = this.require(id);
      checkEtag('Device', existing, ifMatch ?? patch.etag);
      const { etag: _etag, ...fields } = patch;
      const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
      return toView(await this.commitDevice({ ...existing, ...defined, etag: newEtag() }, undefined));
    });
  }

  /** Stores a device record (new, replaced or edited) after checking what it references. */
  save(record: DeviceRecord, stage?: StageWrites): Promise<DeviceRecord> {
    return this.serialize(record.id, () => this.commitDevice(record, stage));
  }

  /** Deletes a device with its twin, attestation and the relationships it holds, in one commit. */
  remove(id: string, stage?: StageWrites): Promise<void> {
    return this.serialize(id, async () => {
      this.require(id);
      const member = this.index.memberOf(id);
      await this.store.commit((tx) => {
        for (const collection of ['devices', 'deviceTwins', 'deviceAttestations', 'deviceRelationships'] as const) {
          if (this.store.repository(collection).has(id)) tx.delete(collection, id);
        }
        if (member) tx.put('deletedFleetDevices', id, { id });
        stage?.(tx);
      });
    });
  }

  createFleet(input: FleetInput, now: () => number): Promise<FleetCreated> {
    return this.writes.run(FLEETS_WRITE_KEY, async () => {
      const started = now();
      if (!this.references.templateExists(input.template)) throw notFound('Device template', input.template);
      const lastId = `${input.idPrefix}-${input.count}`;
      assertDeviceId(lastId);
      const fleet: FleetRecord = { prefix: input.idPrefix, first: 1, count: input.count, template: input.template, simulated: input.simulated ?? true };
      if (this.index.rangeInUse(fleet.prefix, fleet.first, fleet.count)) {
        throw conflict(`Devices "${fleet.prefix}-1" to "${lastId}" collide with existing devices.`);
      }
      this.checkRoomFor(fleet.count, `this fleet of ${fleet.count}`);
      await this.store.commit((tx) => tx.set('fleets', [...this.store.get('fleets'), fleet]));
      return { count: fleet.count, firstId: `${fleet.prefix}-1`, lastId, durationMs: now() - started };
    });
  }

  fleets(): readonly FleetRecord[] {
    return this.store.get('fleets');
  }

  /** Individually created devices and edited fleet members. */
  storedRecords(): DeviceRecord[] {
    return this.store.repository('devices').list();
  }

  usesTemplate(templateId: string): boolean {
    return this.fleets().some((fleet) => fleet.template === templateId) || this.storedRecords().some((device) => device.template === templateId);
  }

  usesOrganization(organizationId: string): boolean {
    return this.storedRecords().some((device) => device.organizations?.includes(organizationId));
  }

  private async commitDevice(record: DeviceRecord, stage: StageWrites | undefined): Promise<DeviceRecord> {
    if (record.template !== undefined && !this.references.templateExists(record.template)) {
      throw invalid(`Device template "${record.template}" does not exist.`);
    }
    for (const organization of record.organizations ?? []) {
      if (!this.references.organizationExists(organization)) throw invalid(`Organization "${organization}" does not exist.`);
    }
    if (!this.find(record.id)) this.checkRoomFor(1, 'one more device');
    const restoresFleetMember = this.store.repository('deletedFleetDevices').has(record.id);
    await this.store.commit((tx) => {
      tx.put('devices', record.id, record);
      if (restoresFleetMember) tx.delete('deletedFleetDevices', record.id);
      stage?.(tx);
    });
    return record;
  }

  private checkRoomFor(added: number, what: string): void {
    const total = this.count() + added;
    if (total > this.maxDevices) {
      throw invalid(`Fleetlab holds at most ${this.maxDevices} devices (--max-devices); ${what} would make ${total}.`);
    }
  }

  private fleetPage(view: FleetView, skip: number, limit: number): DeviceView[] {
    const out: DeviceView[] = [];
    const end = view.fleet.first + view.fleet.count;
    for (let n = view.nthMember(skip); n < end && out.length < limit; n++) {
      if (view.isDeleted(n)) continue;
      out.push(toView(view.overrides.get(n) ?? fleetDevice(view.fleet, n)));
    }
    return out;
  }
}
