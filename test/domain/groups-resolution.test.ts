import { describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../../electron/store/records.js';
import type { FleetIndex } from '../../electron/domain/devices/fleet-index.js';
import { FleetView } from '../../electron/domain/devices/fleet-view.js';
import { resolveInSteps, resolveNow, type MemberTest } from '../../electron/domain/groups/fleet-resolution.js';
import { MemberSet } from '../../electron/domain/groups/member-set.js';
import type { FleetPlace } from '../../electron/domain/groups/target-slices.js';
import { DeviceSet, joinIdSlices } from '../../electron/domain/jobs/device-set.js';
import { TargetAppend, untargeted } from '../../electron/domain/jobs/target-append.js';

const meters = {};
const placeOf = (id: string): FleetPlace | undefined => {
  const match = /^meter-(\d+)$/.exec(id);
  return match ? { fleet: meters, prefix: 'meter', n: Number(match[1]) } : undefined;
};

describe('a group resolved to ranges, then kept current thing by thing', () => {
  it('answers membership within the ranges and hands the engine the ranges less leavers, then the joiners', () => {
    const members = new MemberSet();
    members.addResolved([{ ids: ['gateway'] }, { prefix: 'meter', first: 1, count: 1_000_000 }]);
    expect(members.size).toBe(1_000_001);
    expect([members.has('meter-1'), members.has('meter-1000000'), members.has('meter-1000001'), members.has('gateway')]).toEqual([true, true, false, true]);

    expect(members.delete('meter-500')).toBe(true);
    expect(members.delete('meter-500')).toBe(false);
    expect(members.add('spare')).toBe(true);
    expect(members.add('meter-1000001')).toBe(true);
    expect(members.add('meter-2')).toBe(false);
    expect(members.has('meter-500')).toBe(false);
    expect(members.size).toBe(1_000_002);
    expect(members.slices(placeOf)).toEqual([
      { ids: ['gateway'] },
      { prefix: 'meter', first: 1, count: 499 },
      { prefix: 'meter', first: 501, count: 999_500 },
      { ids: ['spare'] },
      { prefix: 'meter', first: 1_000_001, count: 1 },
    ]);
    expect(members.add('meter-500')).toBe(true);
    expect(members.slices(placeOf)[1]).toEqual({ prefix: 'meter', first: 1, count: 1_000_000 });
  });
});

describe('devices appended to a running job', () => {
  it('keeps every earlier value and position, and appends 20,000 devices to a million-device job one at a time in about constant time each', () => {
    const devices = new DeviceSet([{ prefix: 'meter', first: 1, count: 1_000_000 }]);
    const status = new Uint8Array(devices.size).fill(3);
    const times = new Uint32Array(devices.size * 2).fill(7);
    const append = new TargetAppend({ devices, status, times, attempts: undefined });
    let grown = append.append([]);
    const started = performance.now();
    for (let n = 1; n <= 20_000; n++) {
      // As a continuous job does: is it a target already? (O(1) here, not a scan of the devices appended so far.)
      if (grown.devices.positionOf(`late-${n}`) >= 0) throw new Error(`late-${n} is a target before it was appended`);
      grown = append.append([{ ids: [`late-${n}`] }]);
      grown.status[grown.status.length - 1] = 1;
    }
    // A copy of the arrays per device (9 MB each time) takes minutes here.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(grown.devices.size).toBe(1_020_000);
    expect(grown.status.length).toBe(1_020_000);
    expect(grown.times.length).toBe(2_040_000);
    expect([grown.status[0], grown.status[999_999], grown.status[1_000_000], grown.status[1_019_999]]).toEqual([3, 3, 1, 1]);
    expect([grown.times[1_999_999], grown.times[2_000_000]]).toEqual([7, 0]);
    expect([grown.devices.idAt(999_999), grown.devices.idAt(1_000_000), grown.devices.idAt(1_019_999)]).toEqual(['meter-1000000', 'late-1', 'late-20000']);
    expect([grown.devices.positionOf('late-77') >= 0, grown.devices.positionOf('meter-1000000') >= 0, grown.devices.positionOf('meter-1000001') >= 0]).toEqual([true, true, false]);
    expect(grown.devices.positionOf('late-77')).toBe(1_000_076);

    grown = append.append([{ prefix: 'valve', first: 1, count: 10 }, { ids: ['later'] }]);
    expect(grown.devices.slices.slice(1)).toEqual([{ ids: expect.any(Array) }, { prefix: 'valve', first: 1, count: 10 }, { ids: ['later'] }]);
    expect(grown.devices.idAt(1_020_010)).toBe('later');
    expect([grown.devices.positionOf('valve-10') >= 0, grown.devices.positionOf('valve-11') >= 0]).toEqual([true, false]);
  });
});

describe('finding a device among a job\'s targets', () => {
  it('finds listed ids through a map made on the first lookup: later lookups read none of the 200,000 ids', () => {
    let reads = 0;
    const listed = Array.from({ length: 200_000 }, (_, i) => `late-${i}`);
    const ids = new Proxy(listed, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const set = new DeviceSet([{ prefix: 'meter', first: 1, count: 1_000_000 }, { ids }, { prefix: 'valve', first: 5, count: 10 }]);
    expect(set.positionOf('late-0')).toBe(1_000_000);
    const made = reads;
    expect(made).toBeLessThanOrEqual(200_000);
    for (let i = 0; i < 10_000; i++) expect(set.positionOf(`late-${i * 20}`)).toBe(1_000_000 + i * 20);
    expect([set.positionOf('meter-77'), set.positionOf('valve-14'), set.positionOf('valve-15'), set.positionOf('late-200000')]).toEqual([76, 1_200_009, -1, -1]);
    expect(reads).toBe(made);
  });

  it('a set handed out before devices were appended knows only its own devices, though it shares the map', () => {
    const devices = new DeviceSet([{ ids: ['gateway'] }, { prefix: 'meter', first: 1, count: 10 }]);
    const append = new TargetAppend({ devices, status: new Uint8Array(11), times: new Uint32Array(22), attempts: undefined });
    const first = append.append([{ ids: ['late-1', 'late-2'] }]).devices;
    const second = append.append([{ ids: ['late-3'] }, { prefix: 'valve', first: 1, count: 2 }, { ids: ['late-4'] }]).devices;
    expect([first.positionOf('late-2'), first.positionOf('late-3'), first.positionOf('late-4'), first.positionOf('valve-1')]).toEqual([12, -1, -1, -1]);
    expect([second.positionOf('gateway'), second.positionOf('late-3'), second.positionOf('valve-2'), second.positionOf('late-4')]).toEqual([0, 13, 15, 16]);
    expect(first.ids(0, 20)).toEqual(['gateway', ...Array.from({ length: 10 }, (_, i) => `meter-${i + 1}`), 'late-1', 'late-2']);
  });
});

describe('a grown job read back from its files', () => {
  it('joins the id slices its appends left one after another, ranges staying ranges, the slices read untouched', () => {
    const read = [{ ids: ['a'] }, { ids: ['b', 'c'] }, { prefix: 'valve', first: 1, count: 3 }, { ids: ['d'] }, { ids: [] }, { ids: ['e'] }];
    const copy = structuredClone(read);
    const joined = joinIdSlices(read);
    expect(joined).toEqual([{ ids: ['a', 'b', 'c'] }, { prefix: 'valve', first: 1, count: 3 }, { ids: ['d', 'e'] }]);
    expect(read).toEqual(copy);
    expect(new DeviceSet(joined).ids(0, 10)).toEqual(new DeviceSet(read).ids(0, 10));
  });
});

describe('what a continuous job does not target yet', () => {
  it('gives back the parts of a range between the targets it overlaps, without visiting its members', () => {
    const targets = new DeviceSet([{ prefix: 'meter', first: 1, count: 100 }, { ids: ['spare', 'valve-7', 'meter-500000'] }]);
    const targeted = (id: string) => targets.positionOf(id) >= 0;
    const fresh = untargeted(
      [{ prefix: 'pump', first: 1, count: 1_000_000 }, { prefix: 'meter', first: 1, count: 1_000_000 }, { prefix: 'valve', first: 6, count: 3 }, { ids: ['spare', 'new'] }],
      targets,
      targeted,
    );
    expect(fresh).toEqual([
      { prefix: 'pump', first: 1, count: 1_000_000 },
      { prefix: 'meter', first: 101, count: 499_899 },
      { prefix: 'meter', first: 500_001, count: 500_000 },
      { prefix: 'valve', first: 6, count: 1 },
      { prefix: 'valve', first: 8, count: 1 },
      { ids: ['new'] },
    ]);
  });

  it('asks after each member of a range smaller than the listed ids (a fleet thing that joined), reading none of them', () => {
    let reads = 0;
    const listed = [...Array.from({ length: 200_000 }, (_, i) => `late-${i}`), 'meter-12'];
    const ids = new Proxy(listed, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const targets = new DeviceSet([{ prefix: 'meter', first: 1, count: 10 }, { ids }]);
    const targeted = (id: string) => targets.positionOf(id) >= 0;
    targeted('late-0');
    const made = reads;
    expect(untargeted([{ prefix: 'meter', first: 11, count: 1 }], targets, targeted)).toEqual([{ prefix: 'meter', first: 11, count: 1 }]);
    expect(untargeted([{ prefix: 'meter', first: 9, count: 6 }, { prefix: 'meter', first: 14, count: 1 }], targets, targeted)).toEqual([
      { prefix: 'meter', first: 11, count: 1 },
      { prefix: 'meter', first: 13, count: 2 },
    ]);
    expect(reads).toBe(made);
  });

  it('takes each device once when the joins of several announcements overlap', () => {
    const targets = new DeviceSet([{ prefix: 'meter', first: 1, count: 10 }]);
    const targeted = (id: string) => targets.positionOf(id) >= 0;
    const joins = [{ ids: ['meter-12', 'spare', 'spare'] }, { prefix: 'meter', first: 5, count: 10 }, { ids: ['meter-13', 'meter-20'] }, { prefix: 'meter', first: 14, count: 2 }];
    expect(untargeted(joins, targets, targeted)).toEqual([
      { ids: ['meter-12', 'spare'] },
      { prefix: 'meter', first: 11, count: 1 },
      { prefix: 'meter', first: 13, count: 2 },
      { ids: ['meter-20'] },
      { prefix: 'meter', first: 15, count: 1 },
    ]);
  });
});

describe('the fleet resolution both dialects share', () => {
  const fleet = () => new FleetView({ prefix: 'meter', first: 1, count: 1_000_000, template: 'meter-type', simulated: true });
  const indexOf = (view: FleetView, standalone: DeviceRecord[] = []) => ({ standalone: { values: () => standalone }, fleets: [view] }) as unknown as FleetIndex;
  const record = (id: string) => ({ id, etag: 'e', displayName: id, enabled: true, simulated: true }) as DeviceRecord;

  it('decides a fleet by its shared verdict, visiting only its deleted and particular members', () => {
    const view = fleet();
    view.markDeleted(10);
    const visited: number[] = [];
    const test: MemberTest = {
      shared: () => true,
      particular: () => [500, 20, 500],
      member: (_view, n) => (visited.push(n), n !== 500),
      standalone: (device) => device.id === 'gateway',
    };
    expect(resolveNow(test, indexOf(view, [record('gateway'), record('spare')]))).toEqual([
      { ids: ['gateway'] },
      { prefix: 'meter', first: 1, count: 9 },
      { prefix: 'meter', first: 11, count: 489 },
      { prefix: 'meter', first: 501, count: 999_500 },
    ]);
    expect(visited.sort((a, b) => a - b)).toEqual([20, 500]);
  });

  it('visits every member when the verdict is per member, pausing every thousand visits and merging runs across pauses', () => {
    const view = fleet();
    const test: MemberTest = { shared: () => undefined, particular: () => [], member: (_view, n) => n <= 2500 || n === 999_999, standalone: () => false };
    const parts = [...resolveInSteps(test, indexOf(view))];
    expect(parts.length).toBeGreaterThanOrEqual(1000);
    expect(parts.flat()).toEqual([{ prefix: 'meter', first: 1, count: 2500 }, { prefix: 'meter', first: 999_999, count: 1 }]);
  });
});
