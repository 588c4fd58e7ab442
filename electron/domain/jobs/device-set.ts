import type { DeviceSlice } from '../fleet-executor.js';

const sliceLength = (slice: DeviceSlice) => ('ids' in slice ? slice.ids.length : slice.count);

/**
 * An ordered set of devices made of range and id-list slices, addressed by position without materialising ids:
 * a 1M-device fleet is one range, so a page or a batch costs O(page) or O(slices). Ids of id-list slices are found
 * through a map of their positions, made on the first lookup; ranges stay ranges and are parsed.
 */
export class DeviceSet {
  private readonly starts: number[] = [];
  private readonly rangeIndexes: number[] = [];
  readonly size: number;

  /** `idPositions`: the map of the set this one grew from (TargetAppend), holding every id these slices list. */
  constructor(
    readonly slices: readonly DeviceSlice[],
    private idPositions?: Map<string, number>,
  ) {
    let total = 0;
    slices.forEach((slice, index) => {
      this.starts.push(total);
      if (!('ids' in slice)) this.rangeIndexes.push(index);
      total += sliceLength(slice);
    });
    this.size = total;
  }

  idAt(position: number): string {
    const index = this.sliceIndexOf(position);
    const slice = this.slices[index]!;
    const offset = position - this.starts[index]!;
    return 'ids' in slice ? slice.ids[offset]! : `${slice.prefix}-${slice.first + offset}`;
  }

  ids(start: number, end: number): string[] {
    const out: string[] = [];
    for (let position = start; position < Math.min(end, this.size); position++) out.push(this.idAt(position));
    return out;
  }

  /** The devices at positions [start, end) as slices (ranges stay ranges). */
  range(start: number, end: number): DeviceSlice[] {
    const out: DeviceSlice[] = [];
    end = Math.min(end, this.size);
    for (let index = start < end ? this.sliceIndexOf(start) : this.slices.length; index < this.slices.length; index++) {
      const sliceStart = this.starts[index]!;
      if (sliceStart >= end) break;
      const slice = this.slices[index]!;
      const from = Math.max(start, sliceStart) - sliceStart;
      const to = Math.min(end, sliceStart + sliceLength(slice)) - sliceStart;
      out.push('ids' in slice ? { ids: slice.ids.slice(from, to) } : { prefix: slice.prefix, first: slice.first + from, count: to - from });
    }
    return out;
  }

  /** Position of a device id, or -1: O(1) for listed ids (once the map is made), O(range slices) for the rest. */
  positionOf(id: string): number {
    const listed = this.idIndex().get(id);
    const found = listed !== undefined && listed < this.size ? listed : -1;
    for (const index of this.rangeIndexes) {
      const start = this.starts[index]!;
      if (found >= 0 && start > found) break;
      const slice = this.slices[index] as Extract<DeviceSlice, { prefix: string }>;
      if (!id.startsWith(`${slice.prefix}-`)) continue;
      const suffix = id.slice(slice.prefix.length + 1);
      const n = /^(0|[1-9]\d*)$/.test(suffix) ? Number(suffix) : NaN;
      if (n >= slice.first && n < slice.first + slice.count) return start + n - slice.first;
    }
    return found;
  }

  /**
   * Each listed id's first position, made on first use in O(listed ids). A set grown from this one shares it and adds
   * the ids it appends; positions at or past a set's size belong to the sets grown from it, so it ignores them.
   */
  idIndex(): Map<string, number> {
    if (this.idPositions) return this.idPositions;
    const positions = new Map<string, number>();
    this.slices.forEach((slice, index) => {
      if (!('ids' in slice)) return;
      const start = this.starts[index]!;
      slice.ids.forEach((id, offset) => {
        if (!positions.has(id)) positions.set(id, start + offset);
      });
    });
    this.idPositions = positions;
    return positions;
  }

  private sliceIndexOf(position: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= position) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** Adjacent id-list slices as one: a grown job's targets come back from its files one slice per append. */
export function joinIdSlices(slices: readonly DeviceSlice[]): DeviceSlice[] {
  const out: DeviceSlice[] = [];
  let ids: string[] | undefined;
  for (const slice of slices) {
    if (!('ids' in slice)) {
      out.push(slice);
      ids = undefined;
    } else if (ids) {
      for (const id of slice.ids) ids.push(id);
    } else {
      ids = [...slice.ids];
      out.push({ ids });
    }
  }
  return out;
}
