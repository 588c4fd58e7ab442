import type { DeviceRecord, FleetRecord } from '../../store/records.js';

/** One fleet's range with its exceptions: deleted members, and edited members (stored device records). */
export class FleetView {
  /** Edited members, by number. */
  readonly overrides = new Map<number, DeviceRecord>();
  private readonly deletedMembers = new Set<number>();
  private deletedAscending: number[] | undefined;

  constructor(readonly fleet: FleetRecord) {}

  get visible(): number {
    return this.fleet.count - this.deletedMembers.size;
  }

  /** Deleted members' numbers, ascending; sorted again only on the first read after a deletion or restore. */
  get deleted(): readonly number[] {
    return (this.deletedAscending ??= [...this.deletedMembers].sort((a, b) => a - b));
  }

  includes(n: number): boolean {
    return n >= this.fleet.first && n < this.fleet.first + this.fleet.count;
  }

  isDeleted(n: number): boolean {
    return this.deletedMembers.has(n);
  }

  markDeleted(n: number): void {
    if (!this.includes(n) || this.deletedMembers.has(n)) return;
    this.deletedMembers.add(n);
    this.deletedAscending = undefined;
  }

  restore(n: number): void {
    if (this.deletedMembers.delete(n)) this.deletedAscending = undefined;
  }

  /** How many members numbered below n were deleted. */
  deletedBefore(n: number): number {
    const deleted = this.deleted;
    let low = 0;
    let high = deleted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (deleted[middle]! < n) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The number of the k-th (0-based) surviving member. */
  nthMember(k: number): number {
    // Members before n that survive = (n - first) - deletedBefore(n); find the smallest n with k survivors before it.
    let n = this.fleet.first + k;
    for (const gone of this.deleted) {
      if (gone <= n) n++;
      else break;
    }
    return n;
  }
}
