import { afterAll, describe, expect, it } from 'vitest';
import type { OperationOutcomes, OperationRequest } from '../../electron/domain/fleet-executor.js';
import type { BehaviorProfile } from '../../simulator/behavior.js';
import { createInThreadExecutor, createSimulatorPool, resolveWorkerEntry, type SimulatorPool } from '../../simulator/pool.js';

const COUNT = 20_000;
const profiles: BehaviorProfile[] = [
  { propertyFailureRate: 0.2, commandFailureRate: 0.1, offlineRate: 0.05, latencyMs: { min: 50, max: 500 }, commandTimeoutMs: 30_000 },
  { propertyFailureRate: 0.6, commandFailureRate: 0.5, offlineRate: 0.3, latencyMs: { min: 5, max: 5_000 }, commandTimeoutMs: 10_000 },
];
const profileIndex = new Uint16Array(COUNT).map((_, i) => (i % 7 === 3 ? 1 : 0));
const connectivity = new Int8Array(COUNT).map((_, i) => (i % 11 === 0 ? 0 : i % 13 === 0 ? 1 : -1));

function rangeRequest(kind: OperationRequest['kind'] = 'property'): OperationRequest {
  return { seed: 9, salt: 'job-42/1', kind, devices: { prefix: 'sensor', first: 1, count: COUNT }, profiles, profileIndex, connectivity };
}

/** The same devices as rangeRequest, named one by one. */
function idListRequest(kind: OperationRequest['kind'] = 'property'): OperationRequest {
  return { ...rangeRequest(kind), devices: { ids: Array.from({ length: COUNT }, (_, i) => `sensor-${i + 1}`) } };
}

/** Index of the first device whose outcome or latency differs, -1 when none does (typed-array toEqual is slow). */
function firstDifference(actual: OperationOutcomes, expected: OperationOutcomes): number {
  const length = Math.max(actual.outcome.length, expected.outcome.length);
  for (let i = 0; i < length; i++) {
    if (actual.outcome[i] !== expected.outcome[i] || actual.latencyMs[i] !== expected.latencyMs[i]) return i;
  }
  return -1;
}

const pools: SimulatorPool[] = [];
function pool(threads: number, sliceSize: number): SimulatorPool {
  const created = createSimulatorPool({ threads, sliceSize });
  pools.push(created);
  return created;
}

afterAll(async () => {
  await Promise.all(pools.map((each) => each.close()));
});

describe('simulator pool', () => {
  it('gives every device the same outcome whatever the pool size, slice size or device naming', async () => {
    const expected = {
      property: await createInThreadExecutor().execute(rangeRequest('property')),
      command: await createInThreadExecutor().execute(rangeRequest('command')),
    };
    const executors = [pool(1, 1_000), pool(2, 1_000), pool(2, 4_096), pool(2, 7_777)];
    for (const executor of executors) {
      for (const kind of ['property', 'command'] as const) {
        expect(firstDifference(await executor.execute(rangeRequest(kind)), expected[kind]), 'first differing device').toBe(-1);
        expect(firstDifference(await executor.execute(idListRequest(kind)), expected[kind]), 'first differing device').toBe(-1);
      }
    }
    const codes = new Set(expected.property.outcome);
    expect(codes).toEqual(new Set([0, 1, 2]));
  });

  it('keeps a device its outcome when it is simulated in a different slice of a different request', async () => {
    const whole = await createInThreadExecutor().execute(rangeRequest());
    const tail: OperationRequest = {
      ...rangeRequest(),
      devices: { prefix: 'sensor', first: 5_001, count: COUNT - 5_000 },
      profileIndex: profileIndex.slice(5_000),
      connectivity: connectivity.slice(5_000),
    };
    const result = await pool(2, 3_000).execute(tail);
    const wholeTail = { outcome: whole.outcome.slice(5_000), latencyMs: whole.latencyMs.slice(5_000) };
    expect(firstDifference(result, wholeTail), 'first differing device').toBe(-1);
  });

  it('reports a task error from a worker as a rejection', async () => {
    const request = { ...rangeRequest(), profileIndex: new Uint16Array(COUNT).fill(5) };
    await expect(pool(2, 1_000).execute(request)).rejects.toThrow(/profile 5/);
  });

  it('ends its workers on close and refuses work afterwards', async () => {
    const executor = pool(2, 1_000);
    await executor.execute(rangeRequest());
    expect(executor.threadCount).toBe(2);
    await executor.close();
    expect(executor.threadCount).toBe(0);
    await expect(executor.execute(rangeRequest())).rejects.toThrow('The simulator pool is closed.');
  });
});

describe('worker entry', () => {
  it('loads worker.ts through tsx when the pool runs from sources', () => {
    expect(resolveWorkerEntry('file:///repo/simulator/pool.ts')).toEqual({ filename: '/repo/simulator/worker.ts', execArgv: ['--import', 'tsx'] });
  });

  it('loads the compiled sibling, outside the asar archive in a packaged app', () => {
    expect(resolveWorkerEntry('file:///repo/dist/simulator/pool.js')).toEqual({ filename: '/repo/dist/simulator/worker.js' });
    expect(resolveWorkerEntry('file:///opt/Fleetlab/resources/app.asar/dist/simulator/pool.js')).toEqual({
      filename: '/opt/Fleetlab/resources/app.asar.unpacked/dist/simulator/worker.js',
    });
  });
});
