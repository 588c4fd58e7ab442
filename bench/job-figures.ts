import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dynamicGroupRows, JOIN_TARGET, JOINERS, measureDynamicGroup } from './dynamic-group.js';
import { startEmulator, type Emulator } from './emulator-process.js';
import type { FigureContext } from './figure-context.js';
import { checkProgress, createFleet, prepareApp, runPropertyJob } from './fleet-job.js';
import { measureDeviceList, measurePolling } from './load.js';
import { verdict } from './report.js';
import { measureRestart } from './restart.js';
import { measureStartToFirst200 } from './start-time.js';
import { measureTargetAppends, TARGET_APPEND_TARGET, targetAppendRow } from './target-appends.js';
import { mib, ms, summarize } from './stats.js';

const GiB = 2 ** 30;
const JOB_TIMEOUT_MS = 300_000;

export async function startFigure(context: FigureContext): Promise<void> {
  const { rows, failed } = context;
  const { startRuns } = context.options;
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

async function fleetFigures(context: FigureContext, emulator: Emulator): Promise<void> {
  const { rows, progress } = context;
  const { devices, deviceLabel, pollSeconds, pollClients } = context.options;
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

export async function emulatorFigures(context: FigureContext): Promise<void> {
  const { failed } = context;
  const { deviceLabel } = context.options;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-bench-'));
  let emulator: Emulator | undefined;
  try {
    emulator = await startEmulator(dataDir);
    await fleetFigures(context, emulator);
  } catch (error) {
    failed(`${deviceLabel}-device fleet and job figures (stopped here)`, 'see above', error);
  } finally {
    await emulator?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** A CONTINUOUS job on a dynamic group of the whole fleet: a thing that starts to match gets its execution within one rollout slot. */
export async function dynamicGroupFigures(context: FigureContext): Promise<void> {
  const { rows, failed, progress } = context;
  const { devices, deviceLabel } = context.options;
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
  try {
    progress('appends of 100 things to a continuous job, after 10,000 and after 200,000 appended');
    rows.push(targetAppendRow(await measureTargetAppends()));
  } catch (error) {
    failed('appends to a growing continuous job', TARGET_APPEND_TARGET, error);
  }
}

export async function largeJobFigures(context: FigureContext): Promise<void> {
  const { rows, failed, progress } = context;
  const { largeDevices, largeLabel } = context.options;
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
