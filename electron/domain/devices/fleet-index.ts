import type { DeviceRecord, FleetRecord, StoreData } from '../../store/records.js';

export interface FleetMember {
  fleet: FleetRecord;
  n: number;
}

export interface FleetView {
  fleet: FleetRecord;
  /** Deleted members' numbers, ascending. */
  deleted: number[];
  /** Edited members, by number. */
  overrides: Map<number, DeviceRecord>;
  visible: number;
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
 * A read-only index over the stored devices: fleets as ranges with their exceptions, and the devices that belong
 * to no fleet. Built from the store on demand and dropped whenever the catalog changes devices.
 */
export class FleetIndex {
  readonly fleets: FleetView[];
  /** Devices that belong to no fleet, in creation order. */
  readonly standalone: DeviceRecord[];
  readonly total: number;
  private readonly byPrefix = new Map<string, FleetView[]>();
  private readonly deleted: Set<string>;

  constructor(data: StoreData) {
    this.deleted = new Set(data.deletedFleetDevices);
    this.fleets = data.fleets.map((fleet) => ({ fleet, deleted: [], overrides: new Map(), visible: fleet.count }));
    for (const view of this.fleets) {
      const list = this.byPrefix.get(view.fleet.prefix) ?? [];
      list.push(view);
      this.byPrefix.set(view.fleet.prefix, list);
    }
    for (const id of this.deleted) {
      const view = this.viewOf(id);
      if (view) view.view.deleted.push(view.n);
    }
    this.standalone = [];
    for (const record of Object.values(data.devices)) {
      const view = this.viewOf(record.id);
      if (view) view.view.overrides.set(view.n, record);
      else this.standalone.push(record);
    }
    let total = this.standalone.length;
    for (const view of this.fleets) {
      view.deleted.sort((a, b) => a - b);
      view.visible = view.fleet.count - view.deleted.length;
      total += view.visible;
    }
    this.total = total;
  }

  /** The fleet an id falls in, whether or not the device was deleted. */
  memberOf(id: string): FleetMember | undefined {
    const found = this.viewOf(id);
    return found && { fleet: found.view.fleet, n: found.n };
  }

  isDeleted(id: string): boolean {
    return this.deleted.has(id);
  }

  /** Whether a new range `<prefix>-<first..first+count-1>` overlaps an existing range. */
  overlaps(prefix: string, first: number, count: number): boolean {
    return (this.byPrefix.get(prefix) ?? []).some(
      ({ fleet }) => fleet.first < first + count && first < fleet.first + fleet.count,
    );
  }

  /** The number of the k-th (0-based) non-deleted member of a fleet. */
  static nthMember(view: FleetView, k: number): number {
    // Members before n that survive = (n - first) - deletedBefore(n); find the smallest n with k survivors before it.
    let n = view.fleet.first + k;
    for (const gone of view.deleted) {
      if (gone <= n) n++;
      else break;
    }
    return n;
  }

  private viewOf(id: string): { view: FleetView; n: number } | undefined {
    const parts = splitFleetId(id);
    if (!parts) return undefined;
    const view = this.byPrefix
      .get(parts.prefix)
      ?.find(({ fleet }) => parts.n >= fleet.first && parts.n < fleet.first + fleet.count);
    return view && { view, n: parts.n };
  }
}
