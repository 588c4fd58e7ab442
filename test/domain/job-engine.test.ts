import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobEngine } from '../../electron/domain/jobs/job-engine.js';
import type { JobSpec } from '../../electron/domain/jobs/job-spec.js';
import { SimulationClock } from '../../electron/domain/simulation-clock.js';
import { memoryStore } from '../../electron/domain/persisted.js';
import { MemoryJobDeviceFiles } from '../../electron/store/memory-job-files.js';
import type { DeviceSlice } from '../../electron/domain/fleet-executor.js';
import { fakeExecutor, fakeFleet } from '../helpers/fake-fleet.js';
import { finished, until } from '../helpers/engine-waits.js';

const engines: { engine: JobEngine; clock: SimulationClock }[] = [];
afterEach(async () => {
  for (const { engine, clock } of engines.splice(0)) {
    clock.close();
    await engine.close();
  }
  vi.useRealTimers();
});

/**
 * An engine on a fake fleet. In virtual time (timeScale 0) a job runs as fast as it computes; with a time scale, the
 * clock's real-time source is vitest's fake clock, so the test decides when time passes (`until` moves it on too).
 */
function setup(groups: Record<string, number>, behavior = {}, timeScale = 0) {
  if (timeScale > 0) vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const clock = new SimulationClock(timeScale, () => Date.now());
  const store = memoryStore();
  const fleet = fakeFleet(groups, behavior);
  const executor = fakeExecutor();
  const engine = new JobEngine({ store, files: new MemoryJobDeviceFiles<DeviceSlice[]>(), clock, executor, fleet });
  engines.push({ engine, clock });
  return { engine, clock, store, executor };
}

const propertyJob = (group: string, extra: Partial<JobSpec> = {}): JobSpec => ({
  targets: { kind: 'group', group },
  release: { kind: 'batches' },
  operations: [{ kind: 'property', target: 'dtmi:t;1', path: 'targetTemperature', value: 55 }],
  ...extra,
});

async function statuses(engine: JobEngine, id: string) {
  const { devices } = await engine.devices(id, 0, 1_000_000);
  const count = (s: string) => devices.filter((d) => d.status === s).length;
  return { devices, pending: count('pending'), completed: count('completed'), failed: count('failed') };
}

describe('job engine', () => {
  it('cancels after the first batch when a batch crosses its threshold, leaving later batches pending', async () => {
    const { engine } = setup({ fleet: 1000 }, { propertyFailureRate: 0.3 });
    await engine.create('j1', propertyJob('fleet', { release: { kind: 'batches', batch: { type: 'percentage', value: 10 } }, abort: { kind: 'threshold', type: 'percentage', value: 5, perBatch: true } }));
    const job = await until(engine, 'j1', (j) => finished(j) && engine.get('j1').completed + engine.get('j1').failed === 100);
    expect(job.status).toBe('cancelled');
    const s = await statuses(engine, 'j1');
    expect(s.pending).toBe(900);
    expect(s.completed + s.failed).toBe(100);
    expect(s.failed).toBeGreaterThan(5);
    expect(s.devices.slice(100).every((d) => d.status === 'pending')).toBe(true);
  });

  it('completes with every device completed when nothing fails', async () => {
    const { engine } = setup({ fleet: 1000 });
    await engine.create('j2', propertyJob('fleet', { release: { kind: 'batches', batch: { type: 'number', value: 250 } } }));
    const job = await until(engine, 'j2', finished);
    expect(job.status).toBe('complete');
    expect(job.start).toBeLessThanOrEqual(job.end!);
    expect(await statuses(engine, 'j2')).toMatchObject({ completed: 1000, failed: 0, pending: 0 });
  });

  it('completes despite failures without a threshold, and a rerun targets exactly the failed devices', async () => {
    const { engine } = setup({ fleet: 1000 }, { propertyFailureRate: 0.2 });
    await engine.create('j3', propertyJob('fleet'));
    const job = await until(engine, 'j3', finished);
    expect(job.status).toBe('complete');
    const original = await statuses(engine, 'j3');
    expect(original.failed).toBeGreaterThan(150);
    expect(original.failed).toBeLessThan(250);
    expect(original.devices.find((d) => d.status === 'failed')?.error).toBe('The device rejected the property update.');
    await engine.rerun('j3', 'j3-rerun');
    await until(engine, 'j3-rerun', finished);
    const rerun = await statuses(engine, 'j3-rerun');
    expect(rerun.devices.map((d) => d.id).sort()).toEqual(original.devices.filter((d) => d.status === 'failed').map((d) => d.id).sort());
  });

  it('refuses a rerun of a job without failed devices', async () => {
    const { engine } = setup({ fleet: 10 });
    await engine.create('j4', propertyJob('fleet'));
    await until(engine, 'j4', finished);
    await expect(engine.rerun('j4', 'again')).rejects.toThrow(/no failed devices/);
  });

  it('stops between batches and resumes with the devices never attempted', async () => {
    const { engine } = setup({ fleet: 100 }, { latencyMs: { min: 200, max: 200 } }, 1);
    await engine.create('j5', propertyJob('fleet', { release: { kind: 'batches', batch: { type: 'number', value: 10 } } }));
    // The first batch answered together, and the second started with its answers.
    await until(engine, 'j5', (j) => j.completed >= 10);
    expect(engine.get('j5')).toMatchObject({ status: 'running', completed: 10 });
    await engine.stop('j5');
    // The batch in flight answers; had the job gone on, four more batches would have answered in this time.
    await vi.advanceTimersByTimeAsync(5 * 200);
    expect(engine.get('j5')).toMatchObject({ status: 'stopped', completed: 20, failed: 0 });
    expect(await statuses(engine, 'j5')).toMatchObject({ completed: 20, pending: 80 });
    await engine.resume('j5');
    await vi.advanceTimersByTimeAsync(8 * 200);
    const job = await until(engine, 'j5', finished);
    expect(job.status).toBe('complete');
    expect(await statuses(engine, 'j5')).toMatchObject({ completed: 100, pending: 0 });
  });

  it('runs at most five jobs at once and keeps the rest pending', async () => {
    const { engine } = setup({ fleet: 5 }, { latencyMs: { min: 300, max: 300 } }, 1);
    for (let i = 1; i <= 6; i++) await engine.create(`c${i}`, propertyJob('fleet'));
    await until(engine, 'c5', (j) => j.status === 'running');
    expect(engine.get('c6').status).toBe('pending');
    const last = await until(engine, 'c6', finished);
    expect(last.status).toBe('complete');
    expect(last.start).toBeGreaterThanOrEqual(engine.get('c1').end!);
  });

  it('gives the same per-device statuses for the same seed', async () => {
    const runs: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const { engine } = setup({ fleet: 500 }, { propertyFailureRate: 0.25 });
      await engine.create('same', propertyJob('fleet'));
      await until(engine, 'same', finished);
      runs.push((await statuses(engine, 'same')).devices.map((d) => d.status));
    }
    expect(runs[0]).toEqual(runs[1]);
  });

  it('marks a queued job failed when its group no longer exists at start', async () => {
    const groups: Record<string, number> = { fleet: 5, doomed: 3 };
    const { engine } = setup(groups, { latencyMs: { min: 300, max: 300 } }, 1);
    for (let i = 1; i <= 5; i++) await engine.create(`busy${i}`, propertyJob('fleet'));
    await engine.create('queued', propertyJob('doomed'));
    expect(engine.get('queued').status).toBe('pending');
    delete groups.doomed;
    const job = await until(engine, 'queued', finished);
    expect(job.status).toBe('failed');
    expect(job.failure).toMatch(/doomed/);
  });

  it('refuses a job on an unknown group or with a reused id', async () => {
    const { engine } = setup({ fleet: 3 });
    await expect(engine.create('z', propertyJob('nope'))).rejects.toThrow(/"nope" was not found/);
    await engine.create('z', propertyJob('fleet'));
    await expect(engine.create('z', propertyJob('fleet'))).rejects.toThrow(/already exists/);
  });
});

describe('a run whose own step throws', () => {
  it('fails that job with the reason, saves it, and keeps the engine running other jobs', async () => {
    const clock = new SimulationClock(0);
    const store = memoryStore();
    const fleet = fakeFleet({ east: 3_000, west: 10 }, {});
    let broken = true;
    const behaviorFor = fleet.behaviorFor.bind(fleet);
    fleet.behaviorFor = (slices) => {
      if (broken && slices.some((slice) => 'prefix' in slice && slice.prefix === 'east' && slice.first > 1)) throw new Error('the fleet changed under the run');
      return behaviorFor(slices);
    };
    const engine = new JobEngine({ store, files: new MemoryJobDeviceFiles<DeviceSlice[]>(), clock, executor: fakeExecutor(), fleet });
    engines.push({ engine, clock });

    await engine.create('doomed', propertyJob('east', { release: { kind: 'batches', batch: { type: 'number', value: 1_000 } } }));
    const failed = await until(engine, 'doomed');
    expect(failed).toMatchObject({ status: 'failed', failure: expect.stringContaining('the fleet changed under the run') });
    await until(engine, 'doomed', () => store.repository('jobs').get('doomed')?.status === 'failed');

    broken = false;
    await engine.create('next', propertyJob('west'));
    expect(await until(engine, 'next')).toMatchObject({ status: 'complete', completed: 10 });
  });
});
