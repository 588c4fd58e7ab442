import { afterEach, describe, expect, it } from 'vitest';
import { JobEngine } from '../../electron/domain/jobs/job-engine.js';
import { FAILURE_REASONS, IN_PROGRESS_TIMEOUT, FAILED_BASE } from '../../electron/domain/jobs/job-model.js';
import type { JobSpec } from '../../electron/domain/jobs/job-spec.js';
import { SimulationClock } from '../../electron/domain/simulation-clock.js';
import type { DeviceSlice } from '../../electron/domain/fleet-executor.js';
import { memoryStore } from '../../electron/domain/persisted.js';
import { MemoryJobDeviceFiles } from '../../electron/store/memory-job-files.js';
import { fakeExecutor, fakeFleet } from '../helpers/fake-fleet.js';
import { until } from '../helpers/engine-waits.js';
import { notFound } from '../../electron/domain/errors.js';

const MINUTE = 60_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function setup(count: number, behavior = {}) {
  const clock = new SimulationClock(0);
  const executor = fakeExecutor();
  const engine = new JobEngine({ store: memoryStore(), files: new MemoryJobDeviceFiles<DeviceSlice[]>(), clock, executor, fleet: fakeFleet({ things: count }, behavior) });
  cleanups.push(async () => {
    clock.close();
    await engine.close();
  });
  return { engine, executor };
}

const commandJob = (extra: Partial<JobSpec>): JobSpec => ({
  targets: { kind: 'group', group: 'things' },
  release: { kind: 'batches' },
  operations: [{ kind: 'command', target: 'dtmi:t;1', path: 'reboot' }],
  ...extra,
});

describe('rate-based rollout, abort criteria, timeouts and retries', () => {
  it('releases maximumPerMinute devices per simulated minute', async () => {
    const { engine, executor } = setup(100, { latencyMs: { min: 100, max: 100 } });
    await engine.create('rate', commandJob({ release: { kind: 'rate', rate: { maximumPerMinute: 30 } } }));
    const job = await until(engine, 'rate');
    expect(job.status).toBe('complete');
    expect(executor.requests.map((r) => ('count' in r.devices ? r.devices.count : r.devices.ids.length))).toEqual([30, 30, 30, 10]);
    expect(job.end! - job.start!).toBe(3 * MINUTE + 100);
  });

  it('follows the exponential ramp', async () => {
    const { engine, executor } = setup(150, { latencyMs: { min: 10, max: 10 } });
    const rate = { maximumPerMinute: 1000, ramp: { basePerMinute: 10, factor: 2, afterNotified: 10 } };
    await engine.create('ramp', commandJob({ release: { kind: 'rate', rate } }));
    const job = await until(engine, 'ramp');
    expect(executor.requests.map((r) => ('count' in r.devices ? r.devices.count : 0))).toEqual([10, 20, 40, 80]);
    expect(job.end! - job.start!).toBe(3 * MINUTE + 10);
  });

  it('cancels once the failure percentage is reached after minNumberOfExecutedThings, leaving unreleased devices pending', async () => {
    const { engine } = setup(200, { commandFailureRate: 0.5, latencyMs: { min: 10, max: 50 } });
    await engine.create('abort', commandJob({
      release: { kind: 'rate', rate: { maximumPerMinute: 20 } },
      abort: { kind: 'failureRates', rules: [{ failure: 'any', percentage: 10, minExecuted: 10 }] },
    }));
    const job = await until(engine, 'abort');
    expect(job.status).toBe('cancelled');
    const { devices } = await engine.devices('abort', 0, 200);
    expect(devices.filter((d) => d.status === 'pending').length).toBe(180);
    expect(job.completed + job.failed).toBe(20);
  });

  it('fails devices still running after the in-progress timeout, at the timeout', async () => {
    const { engine } = setup(5, { latencyMs: { min: 2 * MINUTE, max: 2 * MINUTE } });
    await engine.create('slow', commandJob({ inProgressTimeoutMinutes: 1 }));
    const job = await until(engine, 'slow');
    expect(job.failed).toBe(5);
    expect(job.end! - job.start!).toBe(MINUTE);
    const { devices } = await engine.devices('slow', 0, 5);
    expect(devices.every((d) => d.error === FAILURE_REASONS[IN_PROGRESS_TIMEOUT - FAILED_BASE])).toBe(true);
  });

  it('retries timed-out devices as often as the retry criteria allow', async () => {
    const { engine, executor } = setup(4, { latencyMs: { min: 2 * MINUTE, max: 2 * MINUTE } });
    await engine.create('retry', commandJob({ inProgressTimeoutMinutes: 1, retry: [{ failure: 'timedOut', retries: 2 }] }));
    const job = await until(engine, 'retry');
    expect(job.failed).toBe(4);
    expect(job.end! - job.start!).toBe(3 * MINUTE);
    expect(executor.requests.map((r) => r.salt)).toEqual(['retry/0', 'retry/0/retry-1', 'retry/0/retry-2']);
  });

  it('a retry draws a fresh outcome, so some failed devices succeed on it', async () => {
    const { engine } = setup(1000, { commandFailureRate: 0.5 });
    await engine.create('again', commandJob({ retry: [{ failure: 'failed', retries: 1 }] }));
    const job = await until(engine, 'again');
    expect(job.status).toBe('complete');
    expect(job.failed).toBeGreaterThan(180);
    expect(job.failed).toBeLessThan(320);
  });

  it('fails the job, not the process, when a release on the clock meets a device deleted after the job started', async () => {
    const clock = new SimulationClock(0);
    const fleet = fakeFleet({ things: 100 }, { latencyMs: { min: 10, max: 10 } });
    const behaviorFor = fleet.behaviorFor;
    // The second release (things-31 on, a simulated minute later, from the release timer) meets a deleted device.
    fleet.behaviorFor = (slices) => {
      if (slices.some((slice) => 'first' in slice && slice.first > 30)) throw notFound('Device', 'things-31');
      return behaviorFor(slices);
    };
    const engine = new JobEngine({ store: memoryStore(), files: new MemoryJobDeviceFiles<DeviceSlice[]>(), clock, executor: fakeExecutor(), fleet });
    cleanups.push(async () => {
      clock.close();
      await engine.close();
    });
    await engine.create('gone', commandJob({ release: { kind: 'rate', rate: { maximumPerMinute: 30 } } }));
    const job = await until(engine, 'gone');
    expect(job.status).toBe('failed');
    expect(job.failure).toContain('things-31');
  });
});
