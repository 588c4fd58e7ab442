import type { DeviceRecord } from '../../store/records.js';
import { fleetDevice } from './device-catalog.js';
import type { FleetIndex } from './fleet-index.js';
import type { FleetView } from './fleet-view.js';

export type Connection = 'online' | 'offline' | 'profile';

/** What the Devices screen filters by; every given criterion must hold. */
export interface DeviceCriteria {
  /** The start of the device id, or of its display name (case-insensitive). */
  search?: string;
  template?: string;
  /** Set online or offline by hand, or left to the behaviour profile. */
  connection?: Connection;
  simulated?: boolean;
}

export interface DeviceMatches {
  /** How many devices match. */
  count: number;
  /** The matching device at 0-based match position k (k < count). */
  at(k: number): DeviceRecord;
}

const connectionOf = (record: DeviceRecord): Connection => (record.online === undefined ? 'profile' : record.online ? 'online' : 'offline');

function matchesRecord(record: DeviceRecord, criteria: DeviceCriteria, needle: string | undefined): boolean {
  if (criteria.template !== undefined && record.template !== criteria.template) return false;
  if (criteria.simulated !== undefined && record.simulated !== criteria.simulated) return false;
  if (criteria.connection !== undefined && connectionOf(record) !== criteria.connection) return false;
  return needle === undefined || record.id.toLowerCase().startsWith(needle) || record.displayName.toLowerCase().startsWith(needle);
}

/**
 * The member numbers [from, to) of a fleet whose id `<prefix>-<n>` starts with `needle` (lowercase): all of them, none,
 * or, when the needle names the first digits d of n, the decimal ranges [d·10^k, (d+1)·10^k). O(digits), whatever the
 * fleet's size.
 */
function numbersStartingWith(prefix: string, needle: string, from: number, to: number): [number, number][] {
  const head = `${prefix.toLowerCase()}-`;
  if (head.startsWith(needle)) return from < to ? [[from, to]] : [];
  if (!needle.startsWith(head)) return [];
  const digits = needle.slice(head.length);
  if (!/^[1-9]\d{0,14}$/.test(digits)) return [];
  const ranges: [number, number][] = [];
  for (let scale = 1, d = Number(digits); d * scale < to; scale *= 10) {
    const low = Math.max(d * scale, from);
    const high = Math.min((d + 1) * scale, to);
    if (low < high) ranges.push([low, high]);
  }
  return ranges;
}

/** Numbers [low, high) without the `skipped` ones (ascending): the k-th is found by stepping over those before it. */
function rangeWithout(low: number, high: number, skipped: readonly number[], member: (n: number) => DeviceRecord): DeviceMatches {
  return {
    count: high - low - skipped.length,
    at(k) {
      let n = low + k;
      for (const gone of skipped) {
        if (gone <= n) n++;
        else break;
      }
      return member(n);
    },
  };
}

/**
 * The members of one fleet that match, in number order. Unedited members share the fleet's attributes, so either all
 * of them in the id ranges match, less the deleted and the edited ones that do not; or only edited ones match.
 */
function fleetMatches(view: FleetView, criteria: DeviceCriteria, needle: string | undefined): DeviceMatches[] {
  const { fleet } = view;
  const end = fleet.first + fleet.count;
  const ranges = needle === undefined ? [[fleet.first, end] as [number, number]] : numbersStartingWith(fleet.prefix, needle, fleet.first, end);
  const inRanges = (n: number) => ranges.some(([low, high]) => n >= low && n < high);
  const member = (n: number) => view.overrides.get(n) ?? fleetDevice(fleet, n);
  const editedMatching: number[] = [];
  const editedNot: number[] = [];
  for (const [n, record] of view.overrides) {
    if (view.isDeleted(n)) continue;
    (matchesRecord(record, criteria, needle) ? editedMatching : editedNot).push(n);
  }
  editedMatching.sort((a, b) => a - b);
  // Edited members renamed to something the search finds, although their ids are outside the ranges.
  const renamed = editedMatching.filter((n) => !inRanges(n));
  const out: DeviceMatches[] = [];
  if (matchesRecord(fleetDevice(fleet, fleet.first), { ...criteria, search: undefined }, undefined)) {
    const excluded = [...view.deleted, ...editedNot].sort((a, b) => a - b);
    for (const [low, high] of ranges) out.push(rangeWithout(low, high, excluded.filter((n) => n >= low && n < high), member));
  } else {
    const inside = editedMatching.filter(inRanges);
    out.push({ count: inside.length, at: (k) => member(inside[k]!) });
  }
  out.push({ count: renamed.length, at: (k) => member(renamed[k]!) });
  return out;
}

/**
 * The devices that match, in listing order (devices outside fleets first, then each fleet's members by number; a
 * renamed member found by its new name comes after its fleet's others). Fleets are ranges, so the cost is that of the devices outside fleets and of the fleets' exceptions
 * (edited and deleted members), not of the fleets' sizes; reading a match is O(exceptions of its range).
 */
export function matchDevices(index: FleetIndex, criteria: DeviceCriteria): DeviceMatches {
  const needle = criteria.search?.trim().toLowerCase() || undefined;
  const standalone = [...index.standalone.values()].filter((record) => matchesRecord(record, criteria, needle));
  const segments: DeviceMatches[] = [{ count: standalone.length, at: (k) => standalone[k]! }];
  for (const view of index.fleets) segments.push(...fleetMatches(view, criteria, needle));
  const nonEmpty = segments.filter((segment) => segment.count > 0);
  const count = nonEmpty.reduce((sum, segment) => sum + segment.count, 0);
  return {
    count,
    at(k) {
      for (const segment of nonEmpty) {
        if (k < segment.count) return segment.at(k);
        k -= segment.count;
      }
      throw new RangeError(`no match at ${k}`);
    },
  };
}
