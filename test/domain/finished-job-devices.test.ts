import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceSlice } from '../../electron/domain/fleet-executor.js';
import { JobEngine } from '../../electron/domain/jobs/job-engine.js';
import type { JobSpec } from '../../electron/domain/jobs/job-spec.js';
import { SimulationClock } from '../../electron/domain/simulation-clock.js';
import { memoryStore } from '../../electron/domain/persisted.js';
import { MemoryJobDeviceFiles } from '../../electron/store/memory-job-files.js';
import { until } from '../helpers/engine-waits.js';
import { fakeExecutor, fakeFleet } from '../helpers/fake-fleet.js';

const commandJob = (group: string): JobSpec => ({
  targets: { kind: 'group', group },
  release: { kind: 'batches' },
  operations: [{ kind: 'command', target: 'dtmi:t;1', path: 'reboot', value: {} }],
});

const clocks: SimulationClock[] = [];
afterEach(() => clocks.splice(0).forEach((clock) => clock.close()));

// Pages of a finished job come from memory after the first read (bench/: a 1M-device job is 1 MB per page otherwise).
describe('the device list of a finished job', () => {
  it('pages from memory what is on disk, and forgets it when a reset lets the job id be reused', async () => {
    const clock = new SimulationClock(0);
    clocks.push(clock);
    const store = memoryStore();
    const engine = new JobEngine({ store, files: new MemoryJobDeviceFiles<DeviceSlice[]>(), clock, executor: fakeExecutor(), fleet: fakeFleet({ east: 300, west: 40 }, { commandFailureRate: 0.5 }) });

    await engine.create('nightly', commandJob('east'));
    await until(engine, 'nightly');
    const whole = await engine.devices('nightly', 0, 300);
    expect(whole.total).toBe(300);
    expect(whole.devices.filter((device) => device.status === 'failed').length).toBe(engine.get('nightly').failed);
    const lastPage = await engine.devices('nightly', 250, 300);
    expect(lastPage.devices).toEqual(whole.devices.slice(250));

    await engine.clear();
    await store.replace({ collections: new Map(), singletons: new Map() });
    await engine.recover();
    await engine.create('nightly', commandJob('west'));
    await until(engine, 'nightly');
    const reused = await engine.devices('nightly', 0, 300);
    expect(reused.total).toBe(40);
    expect(reused.devices.map((device) => device.id)).toEqual(Array.from({ length: 40 }, (_, i) => `west-${i + 1}`));
    await engine.close();
  });
});
