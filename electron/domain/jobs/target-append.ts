import type { DeviceSlice } from '../fleet-executor.js';
import { DeviceSet } from './device-set.js';

/** A running job's targets and per-device arrays, as they are after devices were appended. */
export interface GrownTargets {
  devices: DeviceSet;
  status: Uint8Array;
  times: Uint32Array;
  attempts: Uint8Array | undefined;
}


/**
 * The targets of a running continuous job as devices are appended one or a few at a time (things that join its
 * group): appended ids go into one id slice this structure owns and grows in place, and into the id → position map
 * its DeviceSets share; the per-device arrays have room to spare (doubled when full) and are handed out as views of
 * their used part. Appending a device costs amortised O(1) however large the job, instead of a copy of every array
 * (9 bytes per device) and of the slices. Slices handed out earlier stay valid: an earlier DeviceSet sees the ids it
 * was made with at its positions.
 */
export class TargetAppend {
  private readonly closed: DeviceSlice[];
  private readonly positions: Map<string, number>;
  private tail: string[] = [];
  private size: number;
  private readonly status: RoomyArray<Uint8Array>;
  private readonly times: RoomyArray<Uint32Array>;
  private readonly attempts: RoomyArray<Uint8Array> | undefined;

  constructor(current: GrownTargets) {
    this.closed = [...current.devices.slices];
    this.positions = current.devices.idIndex();
    this.size = current.devices.size;
    this.status = new RoomyArray(current.status);
    this.times = new RoomyArray(current.times);
    this.attempts = current.attempts && new RoomyArray(current.attempts);
  }

  append(slices: readonly DeviceSlice[]): GrownTargets {
    for (const slice of slices) {
      if ('ids' in slice) {
        for (const id of slice.ids) {
          if (!this.positions.has(id)) this.positions.set(id, this.size);
          this.tail.push(id);
          this.size++;
        }
      } else {
        this.closeTail();
        this.closed.push(slice);
        this.size += slice.count;
      }
    }
    return {
      devices: new DeviceSet(this.tail.length > 0 ? [...this.closed, { ids: this.tail }] : this.closed, this.positions),
      status: this.status.resize(this.size),
      times: this.times.resize(this.size * 2),
      attempts: this.attempts?.resize(this.size),
    };
  }

  /** A range appended after ids ends the id slice being grown; the next ids start another. */
  private closeTail(): void {
    if (this.tail.length === 0) return;
    this.closed.push({ ids: this.tail });
    this.tail = [];
  }
}

/** A typed array with room to grow: the first growth copies it into a buffer of its own, later ones double that when full. */
class RoomyArray<T extends Uint8Array | Uint32Array> {
  private backing: T | undefined;

  constructor(private used: T) {}

  /** A view of the first `length` values; values past the old length start at 0. */
  resize(length: number): T {
    if (!this.backing || this.backing.length < length) {
      const grown = new (this.used.constructor as new (n: number) => T)(Math.max(length, 2 * (this.backing?.length ?? 0), 1024));
      grown.set(this.used);
      this.backing = grown;
    }
    this.used = this.backing.subarray(0, length) as T;
    return this.used;
  }
}

/**
 * The part of `slices` that is not among a job's targets yet, each device once. A range comes back as the ranges
 * between the targets it overlaps (target ranges of its prefix, target ids named like its members), so a new fleet,
 * or a whole group announced again, costs O(target slices and ids), not O(its members); a range with fewer members
 * than the targets list ids (a fleet thing that joined) asks after each member instead, O(its members).
 */
export function untargeted(slices: readonly DeviceSlice[], targets: DeviceSet, targeted: (id: string) => boolean): DeviceSlice[] {
  const out: DeviceSlice[] = [];
  const taken = new Set<string>();
  const takenRanges: Range[] = [];
  let loose: string[] = [];
  const endLoose = () => {
    if (loose.length > 0) out.push({ ids: loose });
    loose = [];
  };
  const covered = (id: string) => targeted(id) || taken.has(id) || takenRanges.some((range) => numberIn(range, id) !== undefined);
  const listedIds = targets.slices.reduce((n, slice) => n + ('ids' in slice ? slice.ids.length : 0), 0);
  for (const slice of slices) {
    if ('ids' in slice) {
      for (const id of slice.ids) {
        if (covered(id)) continue;
        loose.push(id);
        taken.add(id);
      }
      continue;
    }
    const gaps = slice.count <= listedIds + taken.size ? rangeGaps(slice, [...targets.slices, ...takenRanges], covered) : rangeGaps(slice, [...targets.slices, ...takenRanges, { ids: [...taken] }]);
    if (gaps.length > 0) endLoose();
    out.push(...gaps);
    takenRanges.push(...gaps);
  }
  endLoose();
  return out;
}

type Range = { prefix: string; first: number; count: number };

/** The member number of `id` in `range`, or undefined when the id is not one of its members. */
function numberIn(range: Range, id: string): number | undefined {
  if (!id.startsWith(`${range.prefix}-`)) return undefined;
  const suffix = id.slice(range.prefix.length + 1);
  const n = /^(0|[1-9]\d*)$/.test(suffix) ? Number(suffix) : NaN;
  return n >= range.first && n < range.first + range.count ? n : undefined;
}

/** The parts of `range` that none of `covering` holds, ascending; with `probe`, it says which members ids cover. */
function rangeGaps(range: Range, covering: readonly DeviceSlice[], probe?: (id: string) => boolean): Range[] {
  const end = range.first + range.count;
  const cuts: [number, number][] = [];
  if (probe) for (let n = range.first; n < end; n++) if (probe(`${range.prefix}-${n}`)) cuts.push([n, n + 1]);
  for (const slice of covering) {
    if ('ids' in slice) {
      if (probe) continue;
      for (const id of slice.ids) {
        const n = numberIn(range, id);
        if (n !== undefined) cuts.push([n, n + 1]);
      }
    } else if (slice.prefix === range.prefix) {
      cuts.push([Math.max(slice.first, range.first), Math.min(slice.first + slice.count, end)]);
    }
  }
  cuts.sort((a, b) => a[0] - b[0]);
  const gaps: Range[] = [];
  let from = range.first;
  for (const [cutFrom, cutTo] of cuts) {
    if (cutTo <= cutFrom) continue;
    if (cutFrom > from) gaps.push({ prefix: range.prefix, first: from, count: cutFrom - from });
    from = Math.max(from, cutTo);
  }
  if (end > from) gaps.push({ prefix: range.prefix, first: from, count: end - from });
  return gaps;
}
