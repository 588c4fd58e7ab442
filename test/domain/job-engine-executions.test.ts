import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobEngine } from '../../electron/domain/jobs/job-engine.js';
import { DEVICE_CANCELED, DEVICE_COMPLETED, DEVICE_PENDING, DEVICE_REMOVED } from '../../electron/domain/jobs/job-model.js';
import type { JobSpec } from '../../electron/domain/jobs/job-spec.js';
import { SimulationClock } from '../../electron/domain/simulation-clock.js';
import type { DeviceSlice } from '../../electron/domain/fleet-executor.js';
import { memoryStore } from '../../electron/domain/persisted.js';
import { MemoryJobDeviceFiles } from '../../electron/store/memory-job-files.js';
import { fakeExecutor, fakeFleet } from '../helpers/fake-fleet.js';
import { finished, until } from '../helpers/engine-waits.js';

const MINUTE = 60_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  vi.useRealTimers();
});

function setup(count: number, behavior = {}, external: string[] = []) {
  const clock = new SimulationClock(0);
  const engine = new JobEngine({
    store: memoryStore(),
    files: new MemoryJobDeviceFiles<DeviceSlice[]>(),
    clock,
    executor: fakeExecutor(),
    fleet: fakeFleet({ things: count }, behavior, new Set(external)),
  });
  cleanups.push(async () => {
    clock.close();
    await engine.close();
  });
  return { engine, clock };
}

const documentJob = (extra: Partial<JobSpec> = {}): JobSpec => ({
  targets: { kind: 'group', group: 'things' },
  release: { kind: 'batches' },
  operations: [{ kind: 'document', value: { operation: 'reboot' } }],
  ...extra,
});

describe('per-device executions', () => {
  it('records when each device started and answered, on the simulated clock', async () => {
    const { engine } = setup(3, { latencyMs: { min: 700, max: 700 } });
    await engine.create('timed', documentJob());
    const job = await until(engine, 'timed', finished);
    const info = await engine.deviceInfo('timed', 'things-2');
    // Times are kept to the 100 ms.
    const started = Math.floor(job.start! / 100) * 100;
    expect(info).toMatchObject({ status: DEVICE_COMPLETED, released: true, startedAt: started, updatedAt: started + 700 });
    expect(await engine.deviceInfo('timed', 'elsewhere')).toBeUndefined();
  });

  it('keeps external devices in flight until their agent reports, then counts the answer like a simulated one', async () => {
    const { engine } = setup(3, {}, ['things-2']);
    await engine.create('agent', documentJob());
    await until(engine, 'agent', (j) => j.completed === 2);
    expect(engine.get('agent').status).toBe('running');
    expect(await engine.deviceInfo('agent', 'things-2')).toMatchObject({ status: DEVICE_PENDING, released: true, awaitingAgent: true });
    engine.reportExternal('agent', 'things-2', 'succeeded');
    const job = await until(engine, 'agent', finished);
    expect(job).toMatchObject({ status: 'complete', completed: 3 });
    expect(() => engine.reportExternal('agent', 'things-2', 'failed')).toThrow(/no execution .* in progress/);
  });

  it('cancels a queued execution, and an in-progress one only with force', async () => {
    const { engine } = setup(4, { latencyMs: { min: 10, max: 10 } }, ['things-1']);
    await engine.create('partial', documentJob({ release: { kind: 'batches', batch: { type: 'number', value: 2 } } }));
    await until(engine, 'partial', (j) => j.completed === 1);
    await expect(engine.cancelDevice('partial', 'things-2')).rejects.toThrow(/already finished/);
    await engine.cancelDevice('partial', 'things-4');
    await engine.cancelDevice('partial', 'things-1');
    const job = await until(engine, 'partial', finished);
    expect(job.status).toBe('complete');
    expect((await engine.deviceInfo('partial', 'things-4'))?.status).toBe(DEVICE_CANCELED);
    expect((await engine.deviceInfo('partial', 'things-1'))?.status).toBe(DEVICE_CANCELED);
    expect((await engine.deviceInfo('partial', 'things-3'))?.status).toBe(DEVICE_COMPLETED);
  });

  it('refuses to cancel a simulated execution in progress without force', async () => {
    // Real-time scale on vitest's fake clock: the 5 s answer cannot come while the test looks.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const clock = new SimulationClock(1, () => Date.now());
    const engine = new JobEngine({ store: memoryStore(), files: new MemoryJobDeviceFiles<DeviceSlice[]>(), clock, executor: fakeExecutor(), fleet: fakeFleet({ things: 1 }, { latencyMs: { min: 5000, max: 5000 } }) });
    cleanups.push(async () => {
      clock.close();
      await engine.close();
    });
    await engine.create('busy', documentJob());
    await until(engine, 'busy', (j) => j.status === 'running');
    await expect(engine.cancelDevice('busy', 'things-1')).rejects.toThrow(/in progress; cancel it with force/);
    await engine.cancelDevice('busy', 'things-1', true);
    // The run ends once the canceled device's answer has come (and is not counted).
    await vi.advanceTimersByTimeAsync(5000);
    expect((await until(engine, 'busy', finished)).completed).toBe(0);
  });

  it('removes a finished execution', async () => {
    const { engine } = setup(2);
    await engine.create('gone', documentJob());
    await until(engine, 'gone', finished);
    await engine.removeDevice('gone', 'things-1');
    expect((await engine.deviceInfo('gone', 'things-1'))?.status).toBe(DEVICE_REMOVED);
  });

  it('runs devices added to a continuous job, which stays running until cancelled', async () => {
    const { engine } = setup(2);
    await engine.create('forever', documentJob({ growsWithTargets: true }));
    await until(engine, 'forever', (j) => j.completed === 2);
    expect(engine.get('forever').status).toBe('running');
    expect(await engine.appendTargets('forever', [{ ids: ['things-1', 'late-1', 'late-2'] }])).toBe(2);
    const job = await until(engine, 'forever', (j) => j.completed === 4);
    expect(job.total).toBe(4);
    await engine.cancel('forever');
    expect((await until(engine, 'forever', finished)).status).toBe('cancelled');
    await expect(engine.appendTargets('forever', [{ ids: ['late-3'] }])).rejects.toThrow(/cancelled/);
  });

  it('starts a scheduled job at its time and stops its rollout at its end time', async () => {
    const { engine, clock } = setup(100, { latencyMs: { min: 10, max: 10 } });
    const start = clock.now() + 10 * MINUTE;
    await engine.create('later', documentJob({ release: { kind: 'rate', rate: { maximumPerMinute: 10 } }, window: { startAt: start, endAt: { at: start + 150_000, mode: 'stopReleasing' } } }));
    // Up to a moment before its time the job waits; `start` below shows it began exactly at its time, not earlier.
    clock.advance(10 * MINUTE - 1000);
    expect(engine.get('later').status).toBe('pending');
    clock.advance(1000);
    const job = await until(engine, 'later', finished);
    expect(job.start).toBe(start);
    expect(job.status).toBe('complete');
    expect(job.completed).toBe(30);
  });
});

describe('slots', () => {
  it('a job scheduled for later takes no slot: a job asked for meanwhile starts at the time of its request', async () => {
    const clock = new SimulationClock(0);
    const engine = new JobEngine({
      store: memoryStore(),
      files: new MemoryJobDeviceFiles<DeviceSlice[]>(),
      clock,
      executor: fakeExecutor(),
      fleet: fakeFleet({ things: 10 }, { latencyMs: { min: 10, max: 10 } }, new Set()),
      concurrency: 1,
    });
    cleanups.push(async () => {
      clock.close();
      await engine.close();
    });
    const nextWeek = clock.now() + 7 * 24 * 60 * MINUTE;
    await engine.create('next-week', documentJob({ window: { startAt: nextWeek } }));
    const requestedAt = clock.now() - MINUTE;
    await engine.create('now', documentJob(), {}, requestedAt);
    const now = await until(engine, 'now', finished);
    expect(now).toMatchObject({ status: 'complete', start: requestedAt, completed: 10 });
    expect(engine.get('next-week').status).toBe('pending');
    clock.advance(nextWeek - clock.now());
    expect(await until(engine, 'next-week', finished)).toMatchObject({ status: 'complete', start: nextWeek });
  });
});
