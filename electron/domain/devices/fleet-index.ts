import type { Change } from '../../store/store.js';
import type { DeviceRecord, FleetRecord } from '../../store/records.js';
import type { AppStore } from '../persisted.js';
import { FleetView } from './fleet-view.js';
import { StandaloneDevices } from './standalone-devices.js';

export interface FleetMember {
  view: FleetView;
  n: number;
}

/** `<prefix>-<n>` split at the last dash; n is a positive integer without leading zeros. */
export function splitFleetId(id: string): { prefix: string; n: number } | undefined {
  const dash = id.lastIndexOf('-');
  if (dash <= 0) return undefined;
  const suffix = id.slice(dash + 1);
  if (!/^[1-9]\d{0,14}$/.test(suffix)) return undefined;
  return { prefix: id.slice(0, dash), n: Number(suffix) };
}

/**
 * Where every device is: fleets as ranges with their exceptions, and the devices that belong to no fleet. Kept
 * current from the store's changes, so a device write costs the same however many devices there are; it is built
 * from scratch only at start and when the store's state is replaced. `version` changes with every change, for
 * caches derived from the index.
 */
export class FleetIndex {
  private views: FleetView[] = [];
  private byPrefix = new Map<string, FleetView[]>();
  private standaloneDevices = new StandaloneDevices();
  /** Numbers of standalone devices named like fleet members (`<prefix>-<n>`), by prefix: what a new fleet may collide with. */
  private fleetShaped = new Map<string, Set<number>>();
  private changes = 0;

  constructor(private readonly store: AppStore) {
    this.rebuild();
    store.subscribe((change) => (change.op === 'replaced' ? this.rebuild() : this.apply(change)));
  }

  get fleets(): readonly FleetView[] {
    return this.views;
  }

  /** Devices that belong to no fleet, in creation order. */
  get standalone(): StandaloneDevices {
    return this.standaloneDevices;
  }

  get version(): number {
    return this.changes;
  }

  get total(): number {
    let total = this.standaloneDevices.size;
    for (const view of this.views) total += view.visible;
    return total;
  }

  /** The fleet an id falls in, whether or not the device was deleted. */
  memberOf(id: string): FleetMember | undefined {
    const parts = splitFleetId(id);
    if (!parts) return undefined;
    const view = this.byPrefix.get(parts.prefix)?.find((candidate) => candidate.includes(parts.n));
    return view && { view, n: parts.n };
  }

  /** Whether an id `<prefix>-<first..first+count-1>` is already a fleet member or a standalone device. */
  rangeInUse(prefix: string, first: number, count: number): boolean {
    const end = first + count;
    if ((this.byPrefix.get(prefix) ?? []).some(({ fleet }) => fleet.first < end && first < fleet.first + fleet.count)) return true;
    for (const n of this.fleetShaped.get(prefix) ?? []) if (n >= first && n < end) return true;
    return false;
  }

  private apply(change: Change): void {
    if (change.op === 'set') {
      if (change.singleton !== 'fleets') return;
      this.fleetsChanged(change.value as FleetRecord[]);
    } else if (change.collection === 'devices') {
      if (change.op === 'put') this.place(change.record as DeviceRecord);
      else this.unplace(change.id);
    } else if (change.collection === 'deletedFleetDevices') {
      const member = this.memberOf(change.id);
      if (change.op === 'put') member?.view.markDeleted(member.n);
      else member?.view.restore(member.n);
    } else {
      return;
    }
    this.changes++;
  }

  private rebuild(): void {
    this.views = [];
    this.byPrefix = new Map();
    this.standaloneDevices = new StandaloneDevices();
    this.fleetShaped = new Map();
    for (const fleet of this.store.get('fleets')) this.addFleet(fleet);
    for (const record of this.store.repository('devices').list()) this.place(record);
    for (const id of this.store.repository('deletedFleetDevices').ids()) {
      const member = this.memberOf(id);
      member?.view.markDeleted(member.n);
    }
    this.changes++;
  }

  /** New fleets are appended; anything else (none of Fleetlab's writes does it) is rebuilt from the store. */
  private fleetsChanged(fleets: readonly FleetRecord[]): void {
    const appended = fleets.length >= this.views.length && this.views.every((view, i) => view.fleet === fleets[i]);
    if (!appended) return this.rebuild();
    for (const fleet of fleets.slice(this.views.length)) this.addFleet(fleet);
  }

  private addFleet(fleet: FleetRecord): void {
    const view = new FleetView(fleet);
    this.views.push(view);
    const sharingPrefix = this.byPrefix.get(fleet.prefix);
    if (sharingPrefix) sharingPrefix.push(view);
    else this.byPrefix.set(fleet.prefix, [view]);
    // Standalone devices the new range covers become its edited members.
    for (const n of [...(this.fleetShaped.get(fleet.prefix) ?? [])]) {
      if (!view.includes(n)) continue;
      const id = `${fleet.prefix}-${n}`;
      view.overrides.set(n, this.standaloneDevices.get(id)!);
      this.removeStandalone(id);
    }
  }

  private place(record: DeviceRecord): void {
    const member = this.memberOf(record.id);
    if (member) member.view.overrides.set(member.n, record);
    else this.addStandalone(record);
  }

  private unplace(id: string): void {
    const member = this.memberOf(id);
    if (member) member.view.overrides.delete(member.n);
    else this.removeStandalone(id);
  }

  private addStandalone(record: DeviceRecord): void {
    this.standaloneDevices.put(record);
    const parts = splitFleetId(record.id);
    if (!parts) return;
    const numbers = this.fleetShaped.get(parts.prefix);
    if (numbers) numbers.add(parts.n);
    else this.fleetShaped.set(parts.prefix, new Set([parts.n]));
  }

  private removeStandalone(id: string): void {
    this.standaloneDevices.delete(id);
    const parts = splitFleetId(id);
    const numbers = parts && this.fleetShaped.get(parts.prefix);
    if (!numbers) return;
    numbers.delete(parts.n);
    if (numbers.size === 0) this.fleetShaped.delete(parts.prefix);
  }
}
