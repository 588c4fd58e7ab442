import { pathToFileURL } from 'node:url';
import type { OperationRequest } from '../electron/domain/fleet-executor.js';
import { createSimulatorPool, DEFAULT_SLICE_SIZE, type SimulatorPool } from '../simulator/pool.js';
import { concatOutcomes, splitRequest } from '../simulator/slicing.js';
import { TASK } from '../simulator/task-names.js';

export interface DispatchRow {
  label: string;
  devices: number;
  sliceSize: number;
  tasks: number;
  ms: number;
  devicesPerSecond: number;
}

export interface DispatchOptions {
  /** Devices for the one-task-per-device row. */
  devices?: number;
  /** Devices for the slice-size rows: enough for several slices per thread. */
  slicedDevices?: number;
  sliceSizes?: number[];
  threads?: number;
}

function request(count: number): OperationRequest {
  return {
    seed: 1,
    salt: 'bench/dispatch',
    kind: 'property',
    devices: { prefix: 'bench', first: 1, count },
    profiles: [{ propertyFailureRate: 0.05, commandFailureRate: 0.05, offlineRate: 0.01, latencyMs: { min: 50, max: 500 }, commandTimeoutMs: 30_000 }],
  };
}

async function dispatch(pool: SimulatorPool, label: string, devices: number, sliceSize: number): Promise<DispatchRow> {
  const slices = splitRequest(request(devices), sliceSize);
  const started = performance.now();
  const result = concatOutcomes(await Promise.all(slices.map((slice) => pool.run(TASK.executeOperations, slice))));
  const ms = performance.now() - started;
  if (result.outcome.length !== devices) throw new Error(`Expected ${devices} outcomes, got ${result.outcome.length}.`);
  return { label, devices, sliceSize, tasks: slices.length, ms, devicesPerSecond: devices / (ms / 1000) };
}

/** One worker task per device against slices of thousands: the reason the pool slices. */
export async function measureDispatch(options: DispatchOptions = {}): Promise<DispatchRow[]> {
  const devices = options.devices ?? 20_000;
  const slicedDevices = options.slicedDevices ?? 1_000_000;
  const sliceSizes = options.sliceSizes ?? [1024, 4096, DEFAULT_SLICE_SIZE, 32_768, 131_072];
  const pool = createSimulatorPool({ threads: options.threads });
  try {
    // Warm up: start every thread and compile the task before timing anything.
    await dispatch(pool, 'warm-up', 100_000, 1000);
    const rows = [await dispatch(pool, 'one task per device', devices, 1)];
    for (const sliceSize of sliceSizes) {
      const label = sliceSize === DEFAULT_SLICE_SIZE ? `slices of ${sliceSize} (chosen)` : `slices of ${sliceSize}`;
      rows.push(await dispatch(pool, label, slicedDevices, sliceSize));
    }
    return rows;
  } finally {
    await pool.close();
  }
}

function formatDispatchTable(rows: DispatchRow[]): string {
  const perDevice = rows.find((row) => row.sliceSize === 1);
  const header = ['dispatch', 'devices', 'tasks', 'ms', 'devices/s', 'x per-device'];
  const lines = rows.map((row) => [
    row.label,
    String(row.devices),
    String(row.tasks),
    row.ms.toFixed(1),
    Math.round(row.devicesPerSecond).toLocaleString('en-US'),
    perDevice ? `${(row.devicesPerSecond / perDevice.devicesPerSecond).toFixed(0)}x` : '',
  ]);
  const widths = header.map((cell, column) => Math.max(cell.length, ...lines.map((line) => line[column]?.length ?? 0)));
  return [header, ...lines].map((line) => line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')).join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatDispatchTable(await measureDispatch()));
}
