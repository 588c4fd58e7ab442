import { describe, expect, it } from 'vitest';
import { targetSlices, type FleetPlace } from '../../electron/domain/groups/target-slices.js';

const pumps = {};
const valves = {};
/** pump-1..100 and valve-1..100 are fleet members; everything else is a standalone thing. */
function placeOf(id: string): FleetPlace | undefined {
  const match = /^(pump|valve)-(\d+)$/.exec(id);
  if (!match || Number(match[2]) > 100) return undefined;
  return { fleet: match[1] === 'pump' ? pumps : valves, prefix: match[1]!, n: Number(match[2]) };
}

describe('job targets from thing names', () => {
  it('makes runs of consecutive fleet members ranges and keeps the rest, in order, as id lists', () => {
    const ids = ['pump-1', 'pump-2', 'pump-3', 'gateway-1', 'gateway-2', 'pump-7', 'pump-8', 'valve-9', 'pump-200'];
    expect(targetSlices(ids, placeOf)).toEqual([
      { prefix: 'pump', first: 1, count: 3 },
      { ids: ['gateway-1', 'gateway-2'] },
      { prefix: 'pump', first: 7, count: 2 },
      { prefix: 'valve', first: 9, count: 1 },
      { ids: ['pump-200'] },
    ]);
  });

  it('gives a large group of fleet things added in order one range', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `valve-${i + 1}`);
    expect(targetSlices(ids, placeOf)).toEqual([{ prefix: 'valve', first: 1, count: 100 }]);
  });
});
