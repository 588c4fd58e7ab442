import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measureRegistryWrites, type WritePhase } from './aws-registry.js';
import { measureCheckpointBytes, type Checkpoint } from './checkpoint-bytes.js';
import { measureDispatch, type DispatchRow } from './dispatch.js';
import { BENCH_TOKEN, startEmulator, type Emulator } from './emulator-process.js';
import type { FigureContext } from './figure-context.js';
import { measureRealDevices } from './real-devices.js';
import { verdict, type Row } from './report.js';
import { ms, mib } from './stats.js';
import { measureDevicePuts, type WriteGrowth } from './store-writes.js';
import { measureJobPageLongTasks } from './ui-longtasks.js';

export async function storeWriteFigures(context: FigureContext): Promise<void> {
  const { rows, failed, progress } = context;
  const { devicePuts } = context.options;
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
export async function awsRegistryFigures(context: FigureContext): Promise<void> {
  const { rows, failed, progress } = context;
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

export async function checkpointFigure(context: FigureContext): Promise<Checkpoint[]> {
  const { rows, failed, progress } = context;
  const { largeDevices, largeLabel } = context.options;
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

export async function uiFigure(context: FigureContext): Promise<void> {
  const { rows, failed, progress } = context;
  const { devices, deviceLabel } = context.options;
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

export async function realDeviceFigures(context: FigureContext): Promise<void> {
  const { rows, failed, progress } = context;
  const { realDevices } = context.options;
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

export async function dispatchFigure(context: FigureContext): Promise<DispatchRow[]> {
  const { rows, failed, progress } = context;
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
