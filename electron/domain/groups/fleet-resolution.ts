import type { DeviceRecord } from '../../store/records.js';
import type { FleetIndex } from '../devices/fleet-index.js';
import type { FleetView } from '../devices/fleet-view.js';
import type { DeviceSlice } from '../fleet-executor.js';
import { RunBuilder } from './run-builder.js';

/**
 * What a query-defined group (an IoT Central device group's filter, an AWS dynamic thing group's fleet-indexing
 * query) must answer so that the fleet can be resolved without visiting a million devices: the verdict its members
 * share, and the verdict of one device.
 */
export interface MemberTest {
  /**
   * The verdict for every member of the fleet that the API's records hold nothing particular about, or undefined when it
   * depends on each member (a query on the device id, or on per-device values).
   */
  shared(view: FleetView): boolean | undefined;
  /** Members of the fleet with data of their own (any order, repeats allowed): their verdict may differ from the shared one. */
  particular(view: FleetView): readonly number[];
  member(view: FleetView, n: number): boolean;
  standalone(record: DeviceRecord): boolean;
}

/** Members visited between two chances to pause a stepped resolution: well under a millisecond of work. */
const STEP_MEMBERS = 1000;

/**
 * The devices a test accepts, as slices in listing order (standalone devices, then each fleet): a fleet whose shared
 * verdict decides it costs O(its particular members) and stays range slices. Yields after about `step` visits, so a
 * caller can resolve a million per-member verdicts in steps that leave the event loop free between them.
 */
export function* resolveInSteps(test: MemberTest, index: FleetIndex, step = STEP_MEMBERS): Generator<DeviceSlice[], void> {
  const ids: string[] = [];
  let visits = 0;
  for (const record of index.standalone.values()) {
    if (test.standalone(record)) ids.push(record.id);
    if (++visits % step === 0) yield [];
  }
  if (ids.length > 0) yield [{ ids }];
  for (const view of index.fleets) yield* fleetInSteps(test, view, step);
}

/** The whole resolution at once (small fleets, or a test decided by shared verdicts). */
export function resolveNow(test: MemberTest, index: FleetIndex): DeviceSlice[] {
  const slices: DeviceSlice[] = [];
  for (const part of resolveInSteps(test, index, Number.MAX_SAFE_INTEGER)) slices.push(...part);
  return slices;
}

/** One fleet's accepted members; yields each completed part (possibly empty) about every `step` visits. */
export function* fleetInSteps(test: MemberTest, view: FleetView, step = STEP_MEMBERS): Generator<DeviceSlice[], void> {
  const { fleet } = view;
  const runs = new RunBuilder(fleet.prefix);
  const end = fleet.first + fleet.count;
  const shared = test.shared(view);
  if (shared !== undefined) {
    // Only particular members can differ from the shared verdict; the others form the ranges between them.
    let from = fleet.first;
    let visits = 0;
    for (const n of [...view.deleted, ...test.particular(view)].sort((a, b) => a - b)) {
      if (n < from) continue;
      if (shared) runs.addRun(from, n);
      if (!view.isDeleted(n) && test.member(view, n)) runs.add(n);
      from = n + 1;
      if (++visits % step === 0) yield runs.take();
    }
    if (shared) runs.addRun(from, end);
    yield runs.take(true);
    return;
  }
  for (let n = fleet.first; n < end; n++) {
    if (!view.isDeleted(n) && test.member(view, n)) runs.add(n);
    if ((n - fleet.first + 1) % step === 0) yield runs.take();
  }
  yield runs.take(true);
}
