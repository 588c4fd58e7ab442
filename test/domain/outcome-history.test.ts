import { describe, expect, it } from 'vitest';
import { DeviceSet } from '../../electron/domain/jobs/device-set.js';
import { DEVICE_COMPLETED, DEVICE_PENDING, FAILED_BASE, type JobRecord } from '../../electron/domain/jobs/job-model.js';
import type { JobSpec } from '../../electron/domain/jobs/job-spec.js';
import { MAX_HISTORY_POINTS, outcomeHistory } from '../../electron/domain/jobs/outcome-history.js';

const START = Date.UTC(2026, 0, 1, 12);
const C = DEVICE_COMPLETED;
const F = FAILED_BASE;
const P = DEVICE_PENDING;

function job(spec: Partial<JobSpec>, statuses: number[], extra: Partial<JobRecord> = {}): { record: JobRecord; devices: DeviceSet; status: Uint8Array } {
  const status = Uint8Array.from(statuses);
  const record: JobRecord = {
    id: 'j',
    seq: 1,
    spec: { targets: { kind: 'group', group: 'g' }, release: { kind: 'batches' }, operations: [], ...spec },
    status: 'complete',
    start: START,
    end: START + 10_000,
    total: status.length,
    completed: statuses.filter((b) => b === C).length,
    failed: statuses.filter((b) => b >= F).length,
    ...extra,
  };
  return { record, devices: new DeviceSet([{ prefix: 'd', first: 1, count: status.length }]), status };
}

describe('a job\'s outcomes over time, rebuilt from its status bytes', () => {
  it('has no points before the job starts, and only its start before any device answered', () => {
    const pending = job({}, [P, P], { status: 'pending', start: undefined, end: undefined, total: undefined });
    expect(outcomeHistory(pending.record, { devices: pending.devices, status: null }, START).points).toEqual([]);
    const started = job({}, [P, P], { status: 'running', end: undefined });
    expect(outcomeHistory(started.record, started, START + 500).points).toEqual([{ at: START, completed: 0, failed: 0 }]);
  });

  it('spreads a finished job\'s run over its batches, ending on its final counts at its end', () => {
    // Four batches of two: 2 completed, then 1 + 1, then 2 failed, then 1 + 1.
    const { record, devices, status } = job({ release: { kind: 'batches', batch: { type: 'number', value: 2 } } }, [C, C, C, F, F, F, C, F]);
    const history = outcomeHistory(record, { devices, status }, START + 99_000);
    expect(history.basis).toBe('batches');
    expect(history.points).toEqual([
      { at: START, completed: 0, failed: 0 },
      { at: START + 2_500, completed: 2, failed: 0 },
      { at: START + 5_000, completed: 3, failed: 1 },
      { at: START + 7_500, completed: 3, failed: 3 },
      { at: START + 10_000, completed: 4, failed: 4 },
    ]);
  });

  it('ends a running job\'s history now, on what has answered so far', () => {
    const { record, devices, status } = job({ release: { kind: 'batches', batch: { type: 'number', value: 2 } } }, [C, F, C, P, P, P], { status: 'running', end: undefined });
    expect(outcomeHistory(record, { devices, status }, START + 3_000).points).toEqual([
      { at: START, completed: 0, failed: 0 },
      { at: START + 2_000, completed: 1, failed: 1 },
      { at: START + 3_000, completed: 2, failed: 1 },
    ]);
  });

  it('draws a job without batches as one straight line from its start to its end', () => {
    const { record, devices, status } = job({}, [C, F, C, C]);
    expect(outcomeHistory(record, { devices, status }, START).points).toEqual([
      { at: START, completed: 0, failed: 0 },
      { at: START + 10_000, completed: 3, failed: 1 },
    ]);
  });

  it('groups the batches of a 1M-device job of 1-device batches into a chart-sized history', () => {
    const statuses = new Array<number>(1_000_000).fill(C);
    for (let p = 0; p < statuses.length; p += 7) statuses[p] = F;
    const { record, devices, status } = job({ release: { kind: 'batches', batch: { type: 'number', value: 1 } } }, statuses);
    const { points } = outcomeHistory(record, { devices, status }, START);
    expect(points.length).toBeLessThanOrEqual(MAX_HISTORY_POINTS + 1);
    expect(points.length).toBeGreaterThan(MAX_HISTORY_POINTS / 2);
    expect(points.at(-1)).toEqual({ at: START + 10_000, completed: record.completed, failed: record.failed });
    for (let i = 1; i < points.length; i++) {
      expect(points[i]!.at).toBeGreaterThanOrEqual(points[i - 1]!.at);
      expect(points[i]!.completed + points[i]!.failed).toBeGreaterThan(points[i - 1]!.completed + points[i - 1]!.failed);
    }
  });

  it('uses the recorded answer times when the job has them', () => {
    const job = { id: 'timed', seq: 1, status: 'complete', start: 10_000, end: 10_400, completed: 2, failed: 1, total: 3, spec: { targets: { kind: 'group', group: 'g' }, release: { kind: 'batches' }, operations: [] } } as JobRecord;
    const status = Uint8Array.from([DEVICE_COMPLETED, FAILED_BASE, DEVICE_COMPLETED]);
    // Answered at +100 ms, +200 ms and +400 ms (ticks count 100 ms from the start, plus one).
    const times = Uint32Array.from([1, 2, 1, 3, 1, 5]);
    const history = outcomeHistory(job, { devices: new DeviceSet([{ prefix: 'd', first: 1, count: 3 }]), status }, 99_999, times);
    expect(history.basis).toBe('recorded');
    expect(history.points[0]).toEqual({ at: 10_000, completed: 0, failed: 0 });
    expect(history.points.at(-1)).toEqual({ at: 10_400, completed: 2, failed: 1 });
    const at = (ms: number) => history.points.find((point) => point.at >= ms)!;
    expect(at(10_150)).toMatchObject({ completed: 1, failed: 0 });
    expect(at(10_250)).toMatchObject({ completed: 1, failed: 1 });
  });
});
