import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceSlice } from '../../electron/domain/fleet-executor.js';
import { JobEngine } from '../../electron/domain/jobs/job-engine.js';
import { memoryStore, type AppStore } from '../../electron/domain/persisted.js';
import { SimulationClock } from '../../electron/domain/simulation-clock.js';
import { FsJobDeviceFiles } from '../../electron/store/fs-job-files.js';
import { until } from '../helpers/engine-waits.js';
import { fakeExecutor, fakeFleet } from '../helpers/fake-fleet.js';

const dirs: string[] = [];
const running: { engine: JobEngine; clock: SimulationClock }[] = [];
afterEach(async () => {
  for (const { engine, clock } of running.splice(0)) {
    clock.close();
    await engine.close();
  }
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** An engine on real job files in `dir`; another one on the same dir and store is the process started again. */
function start(dir: string, store: AppStore) {
  const clock = new SimulationClock(0);
  const notices: string[] = [];
  const engine = new JobEngine({ store, files: new FsJobDeviceFiles<DeviceSlice[]>(dir), clock, executor: fakeExecutor(), fleet: fakeFleet({ fleet: 3 }), onNotice: (m) => notices.push(m) });
  running.push({ engine, clock });
  return { engine, notices };
}

async function stop(engine: JobEngine): Promise<void> {
  const { clock } = running.splice(running.findIndex((entry) => entry.engine === engine), 1)[0]!;
  clock.close();
  await engine.close();
}

const deviceList = async (engine: JobEngine) => (await engine.devices('grows', 0, Number.MAX_SAFE_INTEGER)).devices;

/** A continuous job on a 3-device group that then grew by ids, a fleet range and an id again: 11 devices, all done. */
async function grownJob() {
  const dir = await mkdtemp(path.join(tmpdir(), 'fleetlab-continuous-'));
  dirs.push(dir);
  const store = memoryStore();
  const { engine } = start(dir, store);
  await engine.create('grows', {
    targets: { kind: 'group', group: 'fleet' },
    release: { kind: 'batches' },
    operations: [{ kind: 'document', value: { operation: 'reboot' } }],
    growsWithTargets: true,
  });
  await until(engine, 'grows', (job) => job.completed === 3);
  expect(await engine.appendTargets('grows', [{ ids: ['late-1', 'late-2'] }])).toBe(2);
  expect(await engine.appendTargets('grows', [{ prefix: 'valve', first: 1, count: 5 }])).toBe(5);
  expect(await engine.appendTargets('grows', [{ ids: ['fleet-2', 'late-3'] }])).toBe(1);
  await until(engine, 'grows', (job) => job.completed === 11);
  const before = await deviceList(engine);
  await stop(engine);
  return { dir, store, before };
}

describe('a continuous job that grew, started again', () => {
  it('has the same devices in the same order, knows them, and appends after them', async () => {
    const { dir, store, before } = await grownJob();
    expect(before.map((device) => device.id)).toEqual(['fleet-1', 'fleet-2', 'fleet-3', 'late-1', 'late-2', 'valve-1', 'valve-2', 'valve-3', 'valve-4', 'valve-5', 'late-3']);
    const { engine, notices } = start(dir, store);
    await engine.recover();
    expect(notices).toEqual([]);
    expect(await deviceList(engine)).toEqual(before);
    expect(await engine.appendTargets('grows', [{ ids: ['late-2', 'valve-4', 'late-3'] }])).toBe(0);
    expect(await engine.appendTargets('grows', [{ ids: ['late-4'] }])).toBe(1);
    expect((await until(engine, 'grows', (job) => job.completed === 12)).total).toBe(12);
    expect((await engine.deviceInfo('grows', 'late-4'))?.position).toBe(11);
  });

  it('killed while an append was written (its record torn): the devices before it, and the job carries on', async () => {
    const { dir, store, before } = await grownJob();
    // A record's head (length 40, checksum) and the first bytes of its slices: the write the kill cut short.
    const torn = Buffer.concat([Buffer.from([40, 0, 0, 0, 1, 2, 3, 4]), Buffer.from('[{"ids":["late')]);
    await appendFile(path.join(dir, 'jobs', 'grows', 'targets.journal'), torn);
    const { engine, notices } = start(dir, store);
    await engine.recover();
    expect(notices).toEqual([]);
    expect(await deviceList(engine)).toEqual(before);
    expect(await engine.appendTargets('grows', [{ ids: ['late-4'] }])).toBe(1);
    await until(engine, 'grows', (job) => job.completed === 12);
  });

  it('killed after an append was synced, before the job took it: the new devices, pending, then run', async () => {
    const { dir, store, before } = await grownJob();
    await new FsJobDeviceFiles<DeviceSlice[]>(dir).appendTargets('grows', [{ ids: ['late-4'] }]);
    const { engine, notices } = start(dir, store);
    await engine.recover();
    expect(notices).toEqual([]);
    expect((await deviceList(engine)).map((device) => device.id)).toEqual([...before.map((device) => device.id), 'late-4']);
    expect((await until(engine, 'grows', (job) => job.completed === 12)).total).toBe(12);
  });
});
