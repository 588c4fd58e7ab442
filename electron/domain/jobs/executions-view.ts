import type { DeviceSet } from './device-set.js';

export interface ExecutionScan {
  offset: number;
  limit: number;
  /** Whether the device at a position passes the status filter; absent: every device does. */
  passes?: (position: number) => boolean;
  /** Whether a device id passes the search; absent: every id does. */
  idMatches?: (id: string) => boolean;
  /** Count every match (a view that shows "n matched"), or stop at the first match after the page (`more` only). */
  countAll: boolean;
}

export interface ExecutionEntry {
  position: number;
  id: string;
}

export interface ExecutionScanPage {
  /** Devices that pass the filters; without `countAll`, only those up to the first one after the page. */
  matched: number;
  /** Matches follow the page. */
  more: boolean;
  entries: ExecutionEntry[];
}

/**
 * The one scan over a job's devices and their status bytes, for every view of its executions. Unfiltered pages cost
 * O(page); a status filter scans the positions once and builds ids for the page only; a search builds every id once,
 * ranges as `prefix-n` directly instead of a lookup per position.
 */
export function scanExecutions(devices: DeviceSet, scan: ExecutionScan): ExecutionScanPage {
  const { offset, limit, passes, idMatches } = scan;
  const total = devices.size;
  const entries: ExecutionEntry[] = [];
  if (!passes && !idMatches) {
    for (let position = offset; position < Math.min(total, offset + limit); position++) entries.push({ position, id: devices.idAt(position) });
    return { matched: total, more: offset + limit < total, entries };
  }
  let matched = 0;
  let more = false;
  const visit = (position: number, id?: string): boolean => {
    if (passes && !passes(position)) return true;
    if (matched >= offset + limit) {
      more = true;
      if (!scan.countAll) return false;
    } else if (matched >= offset) entries.push({ position, id: id ?? devices.idAt(position) });
    matched++;
    return true;
  };
  if (!idMatches) {
    for (let position = 0; position < total; position++) if (!visit(position)) break;
  } else {
    forEachId(devices, (position, id) => !idMatches(id) || visit(position, id));
  }
  return { matched, more, entries };
}

/** Visits every device id in order until `visit` answers false. */
function forEachId(devices: DeviceSet, visit: (position: number, id: string) => boolean): void {
  let position = 0;
  for (const slice of devices.slices) {
    if ('ids' in slice) {
      for (const id of slice.ids) if (!visit(position++, id)) return;
    } else {
      const head = `${slice.prefix}-`;
      for (let n = slice.first; n < slice.first + slice.count; n++) if (!visit(position++, head + n)) return;
    }
  }
}
