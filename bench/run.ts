import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { measureCheckpointBytes, type Checkpoint } from './checkpoint-bytes.js';
import { measureRegistryWrites, type WritePhase } from './aws-registry.js';
import { measureDispatch, type DispatchRow } from './dispatch.js';
import { dynamicGroupRows, JOIN_TARGET, JOINERS, measureDynamicGroup } from './dynamic-group.js';
import { BENCH_TOKEN, startEmulator, type Emulator } from './emulator-process.js';
import { checkProgress, createFleet, prepareApp, runPropertyJob } from './fleet-job.js';
import { measureDeviceList, measurePolling } from './load.js';
import { measureRealDevices } from './real-devices.js';
import { measureRestart } from './restart.js';
import { loadAverage, machineLine, markdownTable, resultsTable, updateDocs, verdict, type Row } from './report.js';
import { measureStartToFirst200 } from './start-time.js';
import { measureDevicePuts, type WriteGrowth } from './store-writes.js';
import { measureJobPageLongTasks } from './ui-longtasks.js';
import { mib, ms, summarize } from './stats.js';

/** The figure groups, in the order a full run measures them. */
const FIGURE_GROUPS = ['start', 'emulator', 'store-writes', 'aws-registry', 'dynamic-group', 'large-job', 'checkpoints', 'ui', 'dispatch', 'real-devices'] as const;
type FigureGroup = (typeof FIGURE_GROUPS)[number];

const HELP = `Usage: npm run bench -- [options]

Measures Fleetlab against its performance targets and prints a table (figure | measured | target | ok?).
A missed target is reported in the table; the exit code is non-zero only when a measurement could not run.

Options:
  --devices <n>        fleet size for the job figures (default 1000000)
  --large-devices <n>  fleet size for the large-job, restart and checkpoint figures (default 10000000)
  --poll-seconds <n>   duration of the 200-client polling figure (default 60)
  --poll-clients <n>   concurrent polling clients (default 200)
  --start-runs <n>     headless starts to time (default 5)
  --device-puts <n>    PUT /api/devices/{id} calls one after another for the write-growth figure (default 100000)
  --real-devices <n>   devices on Microsoft's SDK connecting at once over MQTT for the real-device figures (default 1000)
  --only <names>       run only these figure groups (comma-separated): ${FIGURE_GROUPS.join(', ')}
  --update-docs        also write the table into docs/performance.md (run from the repository root; not with --only)`;

const GiB = 2 ** 30;
const JOB_TIMEOUT_MS = 300_000;

function readFlags() {
  try {
    return parseArgs({
      options: {
        devices: { type: 'string', default: '1000000' },
        'large-devices': { type: 'string', default: '10000000' },
        'poll-seconds': { type: 'string', default: '60' },
        'poll-clients': { type: 'string', default: '200' },
        'start-runs': { type: 'string', default: '5' },
        'device-puts': { type: 'string', default: '100000' },
        'real-devices': { type: 'string', default: '1000' },
        only: { type: 'string' },
        'update-docs': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`bench: ${(error as Error).message}; see --help`);
    process.exit(2);
  }
}
const flags = readFlags();
if (flags.help) {
  console.log(HELP);
  process.exit(0);
}
const count = (name: keyof typeof flags) => {
  const value = Number(flags[name]);
  if (Number.isInteger(value) && value >= 1) return value;
  console.error(`bench: --${name} must be a positive integer, got "${String(flags[name])}"`);
  process.exit(2);
};
const only = flags.only?.split(',').map((name) => name.trim());
const unknownGroup = only?.find((name) => !(FIGURE_GROUPS as readonly string[]).includes(name));
if (unknownGroup !== undefined || (only && flags['update-docs'])) {
  console.error(unknownGroup !== undefined ? `bench: unknown figure group "${unknownGroup}"; see --help` : 'bench: --update-docs writes the whole table, so it needs the full run (no --only)');
  process.exit(2);
}
const runs = (group: FigureGroup) => only === undefined || only.includes(group);
const devices = count('devices');
const pollSeconds = count('poll-seconds');
const pollClients = count('poll-clients');
const startRuns = count('start-runs');
const devicePuts = count('device-puts');
const deviceLabel = devices.toLocaleString('en-US');
const largeDevices = count('large-devices');
const largeLabel = largeDevices.toLocaleString('en-US');
const realDevices = count('real-devices');

const rows: Row[] = [];
let broken = false;
const failed = (figure: string, target: string, error: unknown) => {
  broken = true;
  rows.push({ figure, measured: `failed: ${(error as Error).message}`, target, ok: 'ERROR' });
  console.error(`bench: ${figure}: ${(error as Error).stack ?? String(error)}`);
};
const progress = (message: string) => console.error(`bench: ${message}`);

async function startFigure(): Promise<void> {
  const figure = 'headless start to first 200 (GET /api/jobs)';
  const target = '< 1.5 s';
  try {
    const runs: number[] = [];
    for (let i = 0; i < startRuns; i++) runs.push(await measureStartToFirst200());
    const { p50, max } = summarize(runs);
    rows.push({ figure, measured: `${ms(p50)} median, ${ms(max)} slowest of ${startRuns}`, target, ok: verdict(max < 1500) });
  } catch (error) {
    failed(figure, target, error);
  }
}

async function fleetFigures(emulator: Emulator): Promise<void> {
  const { client } = emulator;
  const jobId = 'bench-property-job';
  progress(`creating ${deviceLabel} devices`);
  await prepareApp(client);
  const createMs = await createFleet(client, devices);
  const afterFleet = emulator.memory();
  rows.push({
    figure: `create ${deviceLabel} devices (POST /_fleetlab/fleet)`,
    measured: `${ms(createMs)}, peak RSS ${mib(afterFleet.peak)}`,
    target: '< 5 s, < 1 GiB RSS',
    ok: verdict(createMs < 5000 && afterFleet.peak < GiB),
  });

  progress(`running a property job on ${deviceLabel} devices`);
  const job = await runPropertyJob(client, jobId, JOB_TIMEOUT_MS);
  const afterJob = emulator.memory();
  const problems = checkProgress(job.progress, devices);
  if (problems.length > 0) throw new Error(`the job's counts are wrong: ${problems.join('; ')}`);
  const { completed, failed: failures } = job.progress;
  rows.push({
    figure: `property job, ${deviceLabel} devices, 10 % batches, 5 % failures, timeScale 0`,
    measured: `${(job.ms / 1000).toFixed(2)} s (${completed.toLocaleString('en-US')} completed, ${failures.toLocaleString('en-US')} failed)`,
    target: '< 10 s',
    ok: verdict(job.ms < 10_000),
  });
  rows.push({
    figure: 'emulator RSS after the job',
    measured: `${mib(afterJob.rss)} (peak ${mib(afterJob.peak)})`,
    target: '< 1 GiB',
    ok: verdict(afterJob.rss < GiB),
  });
  const during = summarize(job.pollLatencies);
  rows.push({
    figure: 'GET /api/jobs/{id} while that job runs (1 client)',
    measured: `p99 ${ms(during.p99)}, max ${ms(during.max)} (${during.count} requests)`,
    target: 'none (event loop responsiveness)',
    ok: 'n/a',
  });

  progress('paging through the job\'s devices');
  const list = await measureDeviceList(client, jobId);
  const listed = Object.entries(list.counts).map(([status, n]) => `${n.toLocaleString('en-US')} ${status}`).join(', ');
  if (list.devices !== devices || list.duplicates > 0 || list.counts.completed !== completed || list.counts.failed !== failures) {
    throw new Error(`the job's device list disagrees with its progress: ${list.devices} distinct devices (${list.duplicates} repeated): ${listed}`);
  }
  rows.push({
    figure: 'GET /api/jobs/{id}/devices, random pages via $skiptoken and the last page',
    measured: `p99 ${ms(list.random.p99)}, max ${ms(list.random.max)} (${list.random.count} pages)`,
    target: 'p99 < 20 ms',
    ok: verdict(list.random.p99 < 20),
  });
  rows.push({
    figure: 'the same, every page in order from the first',
    measured: `p99 ${ms(list.walk.p99)} (${list.walk.count} pages: ${listed})`,
    target: 'none (whole-list check)',
    ok: 'n/a',
  });

  progress(`polling the job's status with ${pollClients} clients for ${pollSeconds} s`);
  const polling = await measurePolling(client, jobId, pollClients, pollSeconds);
  rows.push({
    figure: `job status polling, ${pollClients} concurrent clients back to back, ${pollSeconds} s`,
    measured: `${polling.errors} errors, p99 ${ms(polling.latency.p99)}, ${Math.round(polling.requestsPerSecond)} req/s${polling.firstError ? ` (first error: ${polling.firstError})` : ''}`,
    target: `0 errors, p99 < 50 ms${pollSeconds === 60 ? '' : ' (target run: 60 s)'}`,
    ok: verdict(polling.errors === 0 && polling.latency.p99 < 50),
  });
}

async function emulatorFigures(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-bench-'));
  let emulator: Emulator | undefined;
  try {
    emulator = await startEmulator(dataDir);
    await fleetFigures(emulator);
  } catch (error) {
    failed(`${deviceLabel}-device fleet and job figures (stopped here)`, 'see above', error);
  } finally {
    await emulator?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function storeWriteFigures(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-bench-writes-'));
  let emulator: Emulator | undefined;
  const target = 'median of the last tenth ≤ 1.2 × the first tenth';
  const row = (figure: string, growth: WriteGrowth) =>
    rows.push({
      figure,
      measured: `${growth.ratio.toFixed(2)}× (${ms(growth.firstMedianMs)} → ${ms(growth.lastMedianMs)} median per call over ${growth.calls.toLocaleString('en-US')} calls)`,
      target,
      ok: verdict(growth.ratio <= 1.2),
    });
  try {
    emulator = await startEmulator(dataDir);
    progress(`${devicePuts.toLocaleString('en-US')} device PUTs one after another`);
    row(`${devicePuts.toLocaleString('en-US')} × PUT /api/devices/{id}, one after another`, await measureDevicePuts(emulator.client, devicePuts));
  } catch (error) {
    failed('per-write cost as the store grows', target, error);
  } finally {
    await emulator?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const REGISTRY_WRITES = 20_000;

/** Registry writes through the AWS SDK must cost the same for the last thing as for the first. */
async function awsRegistryFigures(): Promise<void> {
  const figure = (call: string) => `${REGISTRY_WRITES.toLocaleString('en-US')} ${call} one at a time (@aws-sdk/client-iot)`;
  const target = 'median ≤ 3 ms, last 1,000 ≤ 1.2 × first 1,000';
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-bench-aws-'));
  let emulator: Emulator | undefined;
  try {
    progress(`creating ${REGISTRY_WRITES} things and adding them to a thing group through the AWS SDK`);
    emulator = await startEmulator(dataDir);
    const { create, add } = await measureRegistryWrites(emulator.url, REGISTRY_WRITES);
    const row = (call: string, phase: WritePhase): Row => ({
      figure: figure(call),
      measured: `median ${ms(phase.median)}; first 1,000 ${ms(phase.firstThousand)}, last 1,000 ${ms(phase.lastThousand)}`,
      target,
      ok: verdict(phase.median <= 3 && phase.lastThousand <= 1.2 * phase.firstThousand),
    });
    rows.push(row('CreateThing', create), row('AddThingToThingGroup', add));
  } catch (error) {
    failed(figure('CreateThing / AddThingToThingGroup'), target, error);
  } finally {
    await emulator?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** A CONTINUOUS job on a dynamic group of the whole fleet: a thing that starts to match gets its execution within one rollout slot. */
async function dynamicGroupFigures(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-bench-dynamic-'));
  let emulator: Emulator | undefined;
  try {
    progress(`a continuous job on a dynamic group of ${deviceLabel} things, and ${JOINERS} things that start to match`);
    emulator = await startEmulator(dataDir);
    const { client } = emulator;
    await prepareApp(client);
    await createFleet(client, devices);
    rows.push(...dynamicGroupRows(await measureDynamicGroup(emulator.url, devices, (timeScale) => client.json('PUT', '/_fleetlab/simulation', { timeScale })), deviceLabel));
  } catch (error) {
    failed(`continuous job on a dynamic group of ${deviceLabel} things`, JOIN_TARGET, error);
  } finally {
    await emulator?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function largeJobFigures(): Promise<void> {
  const jobId = 'bench-large-job';
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-bench-large-'));
  let emulator: Emulator | undefined;
  try {
    progress(`creating ${largeLabel} devices and running a property job on them`);
    emulator = await startEmulator(dataDir);
    await prepareApp(emulator.client);
    await createFleet(emulator.client, largeDevices);
    const job = await runPropertyJob(emulator.client, jobId, JOB_TIMEOUT_MS);
    const problems = checkProgress(job.progress, largeDevices);
    if (problems.length > 0) throw new Error(`the job's counts are wrong: ${problems.join('; ')}`);
    const after = emulator.memory();
    rows.push({
      figure: `property job, ${largeLabel} devices, 10 % batches, 5 % failures, timeScale 0`,
      measured: `${(job.ms / 1000).toFixed(2)} s, RSS after ${mib(after.rss)} (peak ${mib(after.peak)})`,
      target: '< 10 s, RSS after < 1.5 GiB',
      ok: verdict(job.ms < 10_000 && after.rss < 1.5 * GiB),
    });
    await emulator.stop();
    emulator = undefined;
    progress('restarting on that data dir');
    const restart = await measureRestart(dataDir, jobId);
    if (restart.status !== 'complete') throw new Error(`after the restart the job is ${restart.status}`);
    rows.push({
      figure: `restart on that data dir to the first 200 for the job (its files checked)`,
      measured: ms(restart.ms),
      target: '< 5 s',
      ok: verdict(restart.ms < 5000),
    });
  } catch (error) {
    failed(`${largeLabel}-device job and restart figures (stopped here)`, 'see above', error);
  } finally {
    await emulator?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function checkpointFigure(): Promise<Checkpoint[]> {
  const figure = `bytes written per checkpoint, ${largeLabel}-device job in 10 % batches (in process)`;
  const target = '∝ devices finished since the last one';
  try {
    progress('counting the bytes of each checkpoint of a large job');
    const checkpoints = await measureCheckpointBytes(largeDevices);
    const bytes = checkpoints.reduce((sum, c) => sum + c.bytes, 0);
    const finished = checkpoints.reduce((sum, c) => sum + c.finished, 0);
    const perDevice = bytes / finished;
    const wholeFiles = largeDevices * 9;
    rows.push({
      figure,
      measured: `${checkpoints.length} checkpoints, ${perDevice.toFixed(1)} bytes per device finished (a whole rewrite: ${mib(wholeFiles)} each)`,
      target,
      ok: verdict(perDevice < 40),
    });
    return checkpoints;
  } catch (error) {
    failed(figure, target, error);
    return [];
  }
}

async function uiFigure(): Promise<void> {
  const figure = `job detail page of a running ${deviceLabel}-device job (Chromium, table scrolled)`;
  const target = 'no main-thread task over 100 ms';
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-bench-ui-'));
  let emulator: Emulator | undefined;
  try {
    progress('watching the job detail page in Chromium');
    emulator = await startEmulator(dataDir);
    const result = await measureJobPageLongTasks({ url: emulator.url, token: BENCH_TOKEN, devices });
    const longest = result.longTasks.length === 0 ? 'no long task' : `longest ${ms(result.longestMs)}`;
    rows.push({
      figure,
      measured: `${result.over100ms} tasks over 100 ms, ${longest} (${result.longTasks.length} over 50 ms in ${ms(result.watchedMs)})`,
      target,
      ok: verdict(result.over100ms === 0),
    });
  } catch (error) {
    failed(figure, target, error);
  } finally {
    await emulator?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function realDeviceFigures(): Promise<void> {
  const label = realDevices.toLocaleString('en-US');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-bench-devices-'));
  let emulator: Emulator | undefined;
  try {
    progress(`connecting ${label} devices on Microsoft's device SDK at once (DPS, then the hub over MQTT/TLS)`);
    emulator = await startEmulator(dataDir);
    const figures = await measureRealDevices(emulator.client, realDevices);
    rows.push({
      figure: `${label} devices at once: DPS registration (Azure device SDK, MQTT/TLS)`,
      measured: `p50 ${ms(figures.provisioning.p50)}, p99 ${ms(figures.provisioning.p99)} (DPS asks for a 1 s poll)`,
      target: 'none (recorded)',
      ok: 'n/a',
    });
    rows.push({
      figure: `${label} devices at once: hub connect and twin get`,
      measured: `p50 ${ms(figures.hubConnect.p50)}, p99 ${ms(figures.hubConnect.p99)}`,
      target: 'none (recorded)',
      ok: 'n/a',
    });
    rows.push({
      figure: `property job on those ${label} connected devices, each acking over MQTT`,
      measured: `${(figures.jobMs / 1000).toFixed(2)} s (${figures.completed.toLocaleString('en-US')} completed), RSS after ${mib(emulator.memory().rss)}`,
      target: 'every device completes',
      ok: verdict(figures.completed === realDevices),
    });
  } catch (error) {
    failed(`${label} real devices over MQTT`, 'see above', error);
  } finally {
    await emulator?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function dispatchFigure(): Promise<DispatchRow[]> {
  progress('measuring simulator dispatch');
  const figure = 'one task per device vs the chosen slice size (simulator pool)';
  try {
    const dispatch = await measureDispatch();
    const perDevice = dispatch.find((row) => row.sliceSize === 1)!;
    const chosen = dispatch.find((row) => row.label.includes('chosen'))!;
    const ratio = chosen.devicesPerSecond / perDevice.devicesPerSecond;
    const rate = (row: DispatchRow) => `${Math.round(row.devicesPerSecond).toLocaleString('en-US')} devices/s`;
    rows.push({ figure, measured: `${ratio.toFixed(0)}x (${rate(perDevice)} vs ${rate(chosen)} in slices of ${chosen.sliceSize})`, target: 'ratio printed', ok: 'n/a' });
    return dispatch;
  } catch (error) {
    failed(figure, 'ratio printed', error);
    return [];
  }
}

const machine = machineLine();
const loadBefore = loadAverage();
if (runs('start')) await startFigure();
if (runs('emulator')) await emulatorFigures();
if (runs('store-writes')) await storeWriteFigures();
if (runs('aws-registry')) await awsRegistryFigures();
if (runs('dynamic-group')) await dynamicGroupFigures();
if (runs('large-job')) await largeJobFigures();
const checkpoints = runs('checkpoints') ? await checkpointFigure() : [];
if (runs('ui')) await uiFigure();
const dispatch = runs('dispatch') ? await dispatchFigure() : [];
if (runs('real-devices')) await realDeviceFigures();
const dispatchTable = markdownTable(
  ['dispatch', 'devices', 'tasks', 'ms', 'devices/s'],
  dispatch.map((row) => [row.label, row.devices.toLocaleString('en-US'), String(row.tasks), row.ms.toFixed(0), Math.round(row.devicesPerSecond).toLocaleString('en-US')]),
);
const checkpointTable = markdownTable(
  ['checkpoint', 'devices finished since the last', 'bytes written', 'bytes per device'],
  checkpoints.map((c, i) => [String(i + 1), c.finished.toLocaleString('en-US'), c.bytes.toLocaleString('en-US'), c.finished > 0 ? (c.bytes / c.finished).toFixed(1) : '-']),
);
const loadAfter = loadAverage();
const busy = Math.max(Number(loadBefore), Number(loadAfter)) > availableParallelism();
const load = `1-minute load average ${loadBefore} at the start, ${loadAfter} at the end`;
const warning = busy ? ' Other work kept the cores busy during this run, so the figures are pessimistic.' : '';
const block = [
  `Measured ${machine}; ${load}.${warning}`,
  '',
  resultsTable(rows),
  ...(dispatch.length > 0 ? ['', 'Simulator dispatch (in the bench process, no HTTP):', '', dispatchTable] : []),
  ...(checkpoints.length > 0 ? ['', `Checkpoints of the ${largeLabel}-device job (in the bench process, no HTTP):`, '', checkpointTable] : []),
].join('\n');
console.log(`\n${block}\n`);
if (flags['update-docs']) {
  await updateDocs(path.resolve('docs/performance.md'), block);
  console.log('bench: wrote the table into docs/performance.md');
}
process.exitCode = broken ? 1 : 0;
