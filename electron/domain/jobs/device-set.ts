import type { DeviceSlice } from '../fleet-executor.js';

const sliceLength = (slice: DeviceSlice) => ('ids' in slice ? slice.ids.length : slice.count);

/**
 * An ordered set of devices made of range and id-list slices, addressed by position without materialising ids:
 * a 1M-device fleet is one range, so a page or a batch costs O(page) or O(slices).
 */
export class DeviceSet {
  private readonly starts: number[] = [];
  readonly size: number;

  constructor(readonly slices: readonly DeviceSlice[]) {
    let total = 0;
    for (const slice of slices) {
      this.starts.push(total);
      total += sliceLength(slice);
    }
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

  /** Position of a device id, or -1. Id-list slices are scanned; ranges are parsed. */
  positionOf(id: string): number {
    for (let index = 0; index < this.slices.length; index++) {
      const slice = this.slices[index]!;
      if ('ids' in slice) {
        const offset = slice.ids.indexOf(id);
        if (offset >= 0) return this.starts[index]! + offset;
      } else if (id.startsWith(`${slice.prefix}-`)) {
        const suffix = id.slice(slice.prefix.length + 1);
        const n = /^(0|[1-9]\d*)$/.test(suffix) ? Number(suffix) : NaN;
        if (n >= slice.first && n < slice.first + slice.count) return this.starts[index]! + n - slice.first;
      }
    }
    return -1;
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
