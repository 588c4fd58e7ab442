import type { DeviceSlice } from '../fleet-executor.js';

/** Where a fleet member sits in its fleet: devices `<prefix>-<n>` of one fleet form ranges. */
export type FleetPlace = { fleet: object; prefix: string; n: number };

/**
 * Job targets as the engine takes them: runs of consecutive members of one fleet become range slices (as device
 * groups resolve), the other things id lists. A group of a million fleet things is then a few slices, not a million ids.
 */
export function targetSlices(ids: Iterable<string>, placeOf: (id: string) => FleetPlace | undefined): DeviceSlice[] {
  const slices: DeviceSlice[] = [];
  let run: (FleetPlace & { count: number }) | undefined;
  let loose: string[] = [];
  const endRun = () => {
    if (run) slices.push({ prefix: run.prefix, first: run.n, count: run.count });
    run = undefined;
  };
  const endLoose = () => {
    if (loose.length > 0) slices.push({ ids: loose });
    loose = [];
  };
  for (const id of ids) {
    const place = placeOf(id);
    if (run && place && place.fleet === run.fleet && place.n === run.n + run.count) {
      run.count++;
      continue;
    }
    endRun();
    if (place) {
      endLoose();
      run = { ...place, count: 1 };
    } else {
      loose.push(id);
    }
  }
  endRun();
  endLoose();
  return slices;
}
