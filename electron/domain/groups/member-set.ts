import { splitFleetId } from '../devices/fleet-index.js';
import type { DeviceSlice } from '../fleet-executor.js';
import { targetSlices, type FleetPlace } from './target-slices.js';

interface Range {
  first: number;
  count: number;
}

/**
 * A group's members as the fleet resolution found them (range and id slices), then kept current device by device:
 * a million-member group is a few ranges plus the devices that joined or left since, so a membership test, a join
 * and a leave cost O(log ranges), and the engine-facing slices cost O(ranges + changes).
 */
export class MemberSet {
  private readonly base: DeviceSlice[] = [];
  private readonly rangesByPrefix = new Map<string, Range[]>();
  private readonly baseIds = new Set<string>();
  /** Members not in the base slices, in the order they joined. */
  private readonly joined = new Set<string>();
  /** Base members that left. */
  private readonly left = new Set<string>();
  private baseSize = 0;

  /** Adds resolved slices (a resolution's next part); they must not overlap the members already held. */
  addResolved(slices: readonly DeviceSlice[]): void {
    for (const slice of slices) {
      this.base.push(slice);
      if ('ids' in slice) {
        for (const id of slice.ids) this.baseIds.add(id);
        this.baseSize += slice.ids.length;
      } else {
        let ranges = this.rangesByPrefix.get(slice.prefix);
        if (!ranges) this.rangesByPrefix.set(slice.prefix, (ranges = []));
        ranges.push({ first: slice.first, count: slice.count });
        ranges.sort((a, b) => a.first - b.first);
        this.baseSize += slice.count;
      }
    }
  }

  get size(): number {
    return this.baseSize - this.left.size + this.joined.size;
  }

  has(id: string): boolean {
    if (this.joined.has(id)) return true;
    return !this.left.has(id) && this.inBase(id);
  }

  /** Whether the device was not a member before. */
  add(id: string): boolean {
    if (this.has(id)) return false;
    if (this.left.delete(id)) return true;
    this.joined.add(id);
    return true;
  }

  /** Whether the device was a member before. */
  delete(id: string): boolean {
    if (this.joined.delete(id)) return true;
    if (this.left.has(id) || !this.inBase(id)) return false;
    this.left.add(id);
    return true;
  }

  /** The members as engine slices: the base slices less those that left, then those that joined, fleet runs as ranges. */
  slices(placeOf: (id: string) => FleetPlace | undefined): DeviceSlice[] {
    if (this.left.size === 0 && this.joined.size === 0) return [...this.base];
    const out: DeviceSlice[] = [];
    const leftByPrefix = this.leftFleetMembers();
    for (const slice of this.base) {
      if ('ids' in slice) {
        const ids = this.left.size === 0 ? slice.ids : slice.ids.filter((id) => !this.left.has(id));
        if (ids.length > 0) out.push({ ids });
        continue;
      }
      let from = slice.first;
      const end = slice.first + slice.count;
      for (const n of leftByPrefix.get(slice.prefix) ?? []) {
        if (n < from || n >= end) continue;
        if (n > from) out.push({ prefix: slice.prefix, first: from, count: n - from });
        from = n + 1;
      }
      if (end > from) out.push({ prefix: slice.prefix, first: from, count: end - from });
    }
    out.push(...targetSlices(this.joined, placeOf));
    return out;
  }

  private inBase(id: string): boolean {
    if (this.baseIds.has(id)) return true;
    const parts = splitFleetId(id);
    const ranges = parts && this.rangesByPrefix.get(parts.prefix);
    if (!ranges) return false;
    let low = 0;
    let high = ranges.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const range = ranges[middle]!;
      if (parts.n < range.first) high = middle - 1;
      else if (parts.n >= range.first + range.count) low = middle + 1;
      else return true;
    }
    return false;
  }

  private leftFleetMembers(): Map<string, number[]> {
    const byPrefix = new Map<string, number[]>();
    for (const id of this.left) {
      const parts = splitFleetId(id);
      if (!parts || !this.rangesByPrefix.has(parts.prefix)) continue;
      let numbers = byPrefix.get(parts.prefix);
      if (!numbers) byPrefix.set(parts.prefix, (numbers = []));
      numbers.push(parts.n);
    }
    for (const numbers of byPrefix.values()) numbers.sort((a, b) => a - b);
    return byPrefix;
  }
}
