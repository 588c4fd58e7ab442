import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceSlice } from '../../electron/domain/fleet-executor.js';
import { JobEngine } from '../../electron/domain/jobs/job-engine.js';
import { DEVICE_COMPLETED, DEVICE_PENDING } from '../../electron/domain/jobs/job-model.js';
import { batchOf, type JobSpec } from '../../electron/domain/jobs/job-spec.js';
import { SimulationClock } from '../../electron/domain/simulation-clock.js';
import { memoryStore } from '../../electron/domain/persisted.js';
import { FsJobDeviceFiles } from '../../electron/store/fs-job-files.js';
import { createSimulatorPool, type SimulatorPool } from '../../simulator/pool.js';
import { finished, until } from '../helpers/engine-waits.js';
import { fakeFleet } from '../helpers/fake-fleet.js';

const DEVICES = 10_000_000;
const GiB = 2 ** 30;

let pool: SimulatorPool;
let dir: string;
beforeAll(async () => {
  pool = createSimulatorPool();
  dir = await mkdtemp(path.join(tmpdir(), 'fleetlab-10m-'));
});
afterAll(async () => {
  await pool.close();
  await rm(dir, { recursive: true, force: true });
});

const propertyJob = (extra: Partial<JobSpec> = {}): JobSpec => ({
  targets: { kind: 'group', group: 'fleet' },
  release: { kind: 'batches' },
  operations: [{ kind: 'property', target: 'dtmi:t;1', path: 'targetTemperature', value: 21.5 }],
  ...extra,
});

function countStatus(status: Uint8Array) {
  let pending = 0;
  let completed = 0;
  for (const byte of status) {
    if (byte === DEVICE_PENDING) pending++;
    else if (byte === DEVICE_COMPLETED) completed++;
  }
  return { pending, completed, failed: status.length - pending - completed };
}

describe('a job on 10,000,000 simulated devices', () => {
  it.each([
    ['in one release (no batches)', propertyJob()],
    ['in 10 % batches', propertyJob({ release: { kind: 'batches', batch: { type: 'percentage', value: 10 } } })],
  ])('completes %s at timeScale 0, every device answered, and its files read back after a restart', async (_label, definition) => {
    const clock = new SimulationClock(0);
    const store = memoryStore();
    const fleet = fakeFleet({ fleet: DEVICES }, { propertyFailureRate: 0.05, latencyMs: { min: 50, max: 500 } });
    const engine = new JobEngine({ store, files: new FsJobDeviceFiles<DeviceSlice[]>(dir), clock, executor: pool, fleet });
    const id = `ten-million-${batchOf(definition) ? 'batched' : 'unbatched'}`;
    await engine.create(id, definition);
    const job = await until(engine, id, finished, 120_000);
    expect(job).toMatchObject({ status: 'complete', total: DEVICES });
    expect(job.failed / DEVICES).toBeCloseTo(0.05, 2);
    const { status } = await engine.deviceState(id);
    expect(countStatus(status!)).toEqual({ pending: 0, completed: job.completed, failed: job.failed });
    clock.close();
    await engine.close();
    expect(process.memoryUsage().rss).toBeLessThan(1.5 * GiB);

    const restartedClock = new SimulationClock(0);
    const restarted = new JobEngine({ store, files: new FsJobDeviceFiles<DeviceSlice[]>(dir), clock: restartedClock, executor: pool, fleet });
    await restarted.recover();
    expect(restarted.get(id).status).toBe('complete');
    expect(countStatus((await restarted.deviceState(id)).status!)).toEqual({ pending: 0, completed: job.completed, failed: job.failed });
    restartedClock.close();
    await restarted.close();
  }, 180_000);
});
