import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DeviceSlice } from '../electron/domain/fleet-executor.js';
import { JobEngine } from '../electron/domain/jobs/job-engine.js';
import { memoryStore } from '../electron/domain/persisted.js';
import { SimulationClock } from '../electron/domain/simulation-clock.js';
import { FsJobDeviceFiles } from '../electron/store/fs-job-files.js';
import { DEFAULT_BEHAVIOR } from '../electron/store/records.js';
import { createSimulatorPool } from '../simulator/pool.js';
import { verdict, type Row } from './report.js';
import { ms, summarize } from './stats.js';

const APPEND = 100;
const EARLY = 10_000;
const LATE = 200_000;
/** Appends timed at each point. */
const SAMPLES = 50;

export interface AppendFigures {
  earlyMedianMs: number;
  lateMedianMs: number;
}

/**
 * Appends of 100 things (ids, as joins of a dynamic group arrive) to a running continuous job in this process: the
 * engine on real job files in a temp dir (each append synced before it resolves) and the simulator pool running the
 * new devices, at timeScale 0. Times the median append once 10,000 things were appended and once 200,000 were.
 */
export async function measureTargetAppends(): Promise<AppendFigures> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-bench-appends-'));
  const pool = createSimulatorPool();
  const clock = new SimulationClock(0);
  const engine = new JobEngine({
    store: memoryStore(),
    files: new FsJobDeviceFiles<DeviceSlice[]>(dataDir),
    clock,
    executor: pool,
    fleet: {
      resolveGroup: () => ({ slices: [{ prefix: 'bench', first: 1, count: 1000 }], total: 1000 }),
      behaviorFor: () => ({ profiles: [DEFAULT_BEHAVIOR] }),
      normalizeJobValue: (_template, _kind, _path, value) => value,
    },
  });
  let appended = 0;
  const append = async () => {
    const ids = Array.from({ length: APPEND }, (_, i) => `joined-${appended + i}`);
    const started = performance.now();
    await engine.appendTargets('bench-appends', [{ ids }]);
    appended += APPEND;
    return performance.now() - started;
  };
  const medianAfter = async (total: number) => {
    while (appended < total) await append();
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) times.push(await append());
    return summarize(times).p50;
  };
  try {
    await engine.create('bench-appends', {
      targets: { kind: 'group', group: 'bench' },
      release: { kind: 'batches' },
      operations: [{ kind: 'document', value: { operation: 'read' } }],
      growsWithTargets: true,
    });
    const earlyMedianMs = await medianAfter(EARLY);
    const lateMedianMs = await medianAfter(LATE);
    return { earlyMedianMs, lateMedianMs };
  } finally {
    clock.close();
    await engine.close();
    await pool.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export const TARGET_APPEND_TARGET = 'after 200,000 ≤ 1.5 × after 10,000';

export function targetAppendRow(figures: AppendFigures): Row {
  const ratio = figures.lateMedianMs / figures.earlyMedianMs;
  return {
    figure: `append of ${APPEND} things to a running continuous job (engine and job files in process), after ${EARLY.toLocaleString('en-US')} and after ${LATE.toLocaleString('en-US')} appended`,
    measured: `median ${ms(figures.earlyMedianMs)} → ${ms(figures.lateMedianMs)} (${ratio.toFixed(2)}×, ${SAMPLES} appends each)`,
    target: TARGET_APPEND_TARGET,
    ok: verdict(ratio <= 1.5),
  };
}
