import { mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceSlice } from '../../electron/domain/fleet-executor.js';
import { JobEngine } from '../../electron/domain/jobs/job-engine.js';
import type { JobSpec } from '../../electron/domain/jobs/job-spec.js';
import { SimulationClock } from '../../electron/domain/simulation-clock.js';
import { memoryStore, type AppStore } from '../../electron/domain/persisted.js';
import type { FileOpener } from '../../electron/store/block-file.js';
import { FsJobDeviceFiles } from '../../electron/store/fs-job-files.js';
import { finished, until } from '../helpers/engine-waits.js';
import { fakeExecutor, fakeFleet } from '../helpers/fake-fleet.js';
import { gatedOpener, instrumentedOpener } from '../helpers/job-file-opener.js';

const unhandled: unknown[] = [];
const capture = (reason: unknown) => unhandled.push(reason);
beforeAll(() => void process.on('unhandledRejection', capture));
afterAll(() => void process.off('unhandledRejection', capture));

const dirs: string[] = [];
const running: { engine: JobEngine; clock: SimulationClock }[] = [];
afterEach(async () => {
  for (const { engine, clock } of running.splice(0)) {
    clock.close();
    await engine.close();
  }
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  expect(unhandled).toEqual([]);
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fleetlab-engine-files-'));
  dirs.push(dir);
  return dir;
}

interface Setup {
  dir: string;
  groups: Record<string, number>;
  behavior?: object;
  timeScale?: number;
  opener?: FileOpener;
  store?: AppStore;
}

/** An engine on real job files in `dir`; a second engine on the same dir and store is the process restarted. */
function start({ dir, groups, behavior = {}, timeScale = 0, opener, store = memoryStore() }: Setup) {
  const clock = new SimulationClock(timeScale);
  const notices: string[] = [];
  const files = new FsJobDeviceFiles<DeviceSlice[]>(dir, opener);
  const log = { info: (_: object, m: string) => notices.push(m), warn: (_: object, m: string) => notices.push(m), error: (_: object, m: string) => notices.push(m) };
  const engine = new JobEngine({ store, files, clock, executor: fakeExecutor(), fleet: fakeFleet(groups, behavior), onNotice: (m) => notices.push(m), log });
  running.push({ engine, clock });
  return { engine, store, notices, files };
}

/** Closes the engine as the host does (its clock first, so that no run goes on), `meanwhile`, then a new engine on the same data. */
async function restart(setup: Setup & { store: AppStore }, previous: JobEngine, meanwhile: () => Promise<void> = async () => {}) {
  const { clock } = running.splice(running.findIndex((entry) => entry.engine === previous), 1)[0]!;
  clock.close();
  await previous.close();
  await meanwhile();
  const restarted = start(setup);
  await restarted.engine.recover();
  return restarted;
}

const propertyJob = (group: string, extra: Partial<JobSpec> = {}): JobSpec => ({
  targets: { kind: 'group', group },
  release: { kind: 'batches' },
  operations: [{ kind: 'property', target: 'dtmi:t;1', path: 'targetTemperature', value: 55 }],
  ...extra,
});

async function counts(engine: JobEngine, id: string) {
  const { devices } = await engine.devices(id, 0, Number.MAX_SAFE_INTEGER);
  return { total: devices.length, ...Object.fromEntries(['pending', 'completed', 'failed'].map((s) => [s, devices.filter((d) => d.status === s).length])) };
}

describe('job files of a running job', () => {
  it('checkpoints write what changed: a 1M-device job in batches of 1,000 writes tens of bytes per finished device, not its 9 MB files each time', async () => {
    const dir = await dataDir();
    const opener = instrumentedOpener();
    const { engine } = start({ dir, groups: { fleet: 1_000_000 }, opener });
    await engine.create('big', propertyJob('fleet', { release: { kind: 'batches', batch: { type: 'number', value: 1000 } } }));
    await until(engine, 'big', (job) => job.status === 'running');
    const afterCreate = opener.bytesWritten;
    await until(engine, 'big', (job) => job.completed + job.failed >= 20_000, 60_000);
    await engine.stop('big');
    await engine.close();
    const job = engine.get('big');
    const perDevice = (opener.bytesWritten - afterCreate) / (job.completed + job.failed);
    // Each batch of 1,000 touches one or two 1,024-device blocks of 9 bytes per device.
    expect(perDevice).toBeLessThan(64);
    expect(perDevice).toBeGreaterThan(9);
  }, 60_000);

  it('keeps running while the disk is full, says so once, and catches up once writes succeed', async () => {
    const dir = await dataDir();
    const opener = instrumentedOpener();
    const store = memoryStore();
    const setup = { dir, groups: { fleet: 20_000 }, behavior: { latencyMs: { min: 20, max: 20 } }, timeScale: 1, opener, store };
    const { engine, notices } = start(setup);
    await engine.create('full', propertyJob('fleet', { release: { kind: 'batches', batch: { type: 'number', value: 1000 } } }));
    await until(engine, 'full', (job) => job.completed >= 2000);
    opener.diskFull = true;
    const failedAt = engine.get('full').completed;
    await until(engine, 'full', (job) => job.completed >= failedAt + 3000 && opener.failedWrites > 0);
    expect(engine.get('full').status).toBe('running');
    expect(notices.filter((n) => n.includes('checkpoint of job'))).toEqual([expect.stringMatching(/^A checkpoint of job "full" failed: .*ENOSPC.*The job keeps running/)]);
    opener.diskFull = false;
    const job = await until(engine, 'full', finished);
    expect(job.status).toBe('complete');
    expect(notices).toContain('Progress of job "full" is saved again.');

    const { engine: restarted } = await restart(setup, engine);
    expect(await counts(restarted, 'full')).toEqual({ total: 20_000, pending: 0, completed: job.completed, failed: job.failed });
  });

  it.each([
    ['deleted with force', (engine: JobEngine) => engine.remove('doomed', true)],
    ['reset away', (engine: JobEngine) => engine.clear()],
  ])('is %s while a checkpoint write is in progress: the write finishes first, nothing recreates its folder', async (_label, remove) => {
    const dir = await dataDir();
    const gate = gatedOpener();
    const { engine } = start({ dir, groups: { fleet: 5000 }, behavior: { latencyMs: { min: 20, max: 20 } }, timeScale: 1, opener: gate });
    await engine.create('doomed', propertyJob('fleet', { release: { kind: 'batches', batch: { type: 'number', value: 500 } } }));
    await until(engine, 'doomed', (job) => job.completed >= 500);
    gate.hold();
    await gate.waiting();
    const removal = remove(engine);
    gate.release();
    await removal;
    await engine.close();
    expect(await readdir(path.join(dir, 'jobs')).catch(() => [])).toEqual([]);
  });
});

describe('job files checked at start', () => {
  /** Two finished jobs; `damage` spoils one of victim's files before the restart. */
  async function damagedRestart(damage: (folder: string) => Promise<void>) {
    const dir = await dataDir();
    const store = memoryStore();
    const setup = { dir, groups: { victims: 3000, bystanders: 2000 }, behavior: { propertyFailureRate: 0.2 }, store };
    const { engine } = start(setup);
    await engine.create('victim', propertyJob('victims', { release: { kind: 'batches', batch: { type: 'number', value: 1000 } } }));
    await engine.create('bystander', propertyJob('bystanders'));
    await until(engine, 'victim', finished);
    await until(engine, 'bystander', finished);
    const bystanderBefore = await counts(engine, 'bystander');
    const folder = path.join(dir, 'jobs', 'victim');
    const restarted = await restart(setup, engine, () => damage(folder));
    return { ...restarted, folder, bystanderBefore };
  }

  it.each([
    ['targets.json', 'that is not JSON', (file: string) => writeFile(file, '{"format": 1, "crc32": 12, "by'), /is not a Fleetlab targets file/],
    ['targets.json', 'cut short', async (file: string) => cutTo(file, (await stat(file)).size - 5), /is truncated/],
    ['status.bin', 'cut short', (file: string) => cutTo(file, 1500), /is truncated: 1500 bytes where its 3000 devices need \d+/],
    ['status.bin', 'with a flipped byte in both copies of a block', (file: string) => flipBothCopies(file, 1, 1), /fails its checksum in block 1/],
    ['times.bin', 'overwritten with something else', (file: string) => writeFile(file, Buffer.alloc(100_000, 7)), /is not a Fleetlab job device file/],
    ['times.bin', 'with a flipped byte in both copies of a block', (file: string) => flipBothCopies(file, 0, 8), /fails its checksum in block 0/],
  ])('a %s %s is named, moved aside, and fails its job; the other job and the engine carry on', async (name, _label, damage, reason) => {
    let original = Buffer.alloc(0);
    const { engine, notices, folder, bystanderBefore } = await damagedRestart(async (dir) => {
      await damage(path.join(dir, name));
      original = await readFile(path.join(dir, name));
    });
    const aside = (await readdir(folder)).filter((file) => file.startsWith(`${name}.corrupt-`));
    expect(aside).toHaveLength(1);
    expect(await readFile(path.join(folder, aside[0]!))).toEqual(original);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(reason);
    expect(notices[0]).toContain(`Job "victim": its ${name} `);
    expect(notices[0]).toContain(path.join(folder, aside[0]!));
    expect(engine.get('victim')).toMatchObject({ status: 'failed', failure: expect.stringContaining(`device file ${name} `) });
    expect(engine.get('victim').failure).toMatch(reason);
    expect(engine.get('bystander').status).toBe('complete');
    expect(await counts(engine, 'bystander')).toEqual(bystanderBefore);
    await engine.create('after', propertyJob('bystanders'));
    expect((await until(engine, 'after', finished)).status).toBe('complete');
  });

  it.each(['targets.json', 'status.bin', 'times.bin'])('a missing %s fails its job with the reason; the other job carries on', async (name) => {
    const { engine, notices, bystanderBefore } = await damagedRestart((folder) => rm(path.join(folder, name)));
    expect(notices).toEqual([`Job "victim": its ${name} is missing. The job is marked failed; its other files are kept.`]);
    expect(engine.get('victim')).toMatchObject({ status: 'failed', failure: `The job's device file ${name} is missing.` });
    expect(await counts(engine, 'bystander')).toEqual(bystanderBefore);
  });

  it('a status.bin for another number of devices fails its job', async () => {
    const { engine, notices } = await damagedRestart(async (folder) => {
      await new FsJobDeviceFiles(path.dirname(path.dirname(folder))).writeStatus('victim', new Uint8Array(2999));
    });
    expect(notices[0]).toMatch(/^Job "victim": its status\.bin holds 2999 devices where the job's targets have 3000; moved aside as .*status\.bin\.corrupt-/);
    expect(engine.get('victim').status).toBe('failed');
  });

  it('a stopped job whose status.bin was cut short fails at start, and a running job on intact files resumes', async () => {
    const dir = await dataDir();
    const store = memoryStore();
    const setup = { dir, groups: { east: 4000, west: 4000 }, behavior: { latencyMs: { min: 30, max: 30 } }, timeScale: 1, store };
    const { engine } = start(setup);
    await engine.create('halted', propertyJob('east', { release: { kind: 'batches', batch: { type: 'number', value: 1000 } } }));
    await engine.create('moving', propertyJob('west', { release: { kind: 'batches', batch: { type: 'number', value: 1000 } } }));
    await until(engine, 'halted', (job) => job.completed >= 1000);
    await engine.stop('halted');
    const { engine: restarted, notices } = await restart(setup, engine, () => cutTo(path.join(dir, 'jobs', 'halted', 'status.bin'), 100));
    expect(notices).toEqual([expect.stringMatching(/^Job "halted": its status\.bin is truncated/)]);
    expect(restarted.get('halted').status).toBe('failed');
    const moving = await until(restarted, 'moving', finished);
    expect(moving.status).toBe('complete');
    expect(await counts(restarted, 'moving')).toMatchObject({ total: 4000, pending: 0 });
  });
});

async function cutTo(file: string, size: number): Promise<void> {
  const handle = await open(file, 'r+');
  await handle.truncate(size);
  await handle.close();
}

/** Flips one data byte in each copy of a block of a block file (see electron/store/block-file.ts for the layout). */
async function flipBothCopies(file: string, block: number, bytesPerDevice: number): Promise<void> {
  const slot = 16 + 1024 * bytesPerDevice;
  const handle = await open(file, 'r+');
  for (const copy of [0, 1]) {
    const at = 64 + (2 * block + copy) * slot + 16 + 3;
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0x55;
    await handle.write(byte, 0, 1, at);
  }
  await handle.close();
}
