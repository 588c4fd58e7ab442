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
/** Appends timed on each job, taken in turns. */
const SAMPLES = 100;

export interface AppendFigures {
  earlyMedianMs: number;
  lateMedianMs: number;
}

/**
 * Appends of 100 things (ids, as joins of a dynamic group arrive) to running continuous jobs in this process: the
 * engine on real job files in a temp dir (each append synced before it resolves) and the simulator pool running the
 * new devices, at timeScale 0. One job is grown to 10,000 appended things, another to 200,000; then appends go to
 * each in turn, so that the machine's load weighs on both alike, and each one's median append is taken.
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
    concurrency: 2,
  });
  const appended = { early: 0, late: 0 };
  const append = async (job: keyof typeof appended) => {
    const ids = Array.from({ length: APPEND }, (_, i) => `${job}-${appended[job] + i}`);
    const started = performance.now();
    await engine.appendTargets(job, [{ ids }]);
    appended[job] += APPEND;
    return performance.now() - started;
  };
  try {
    for (const job of ['early', 'late'] as const) {
      await engine.create(job, {
        targets: { kind: 'group', group: 'bench' },
        release: { kind: 'batches' },
        operations: [{ kind: 'document', value: { operation: 'read' } }],
        growsWithTargets: true,
      });
    }
    while (appended.early < EARLY) await append('early');
    while (appended.late < LATE) await append('late');
    const times = { early: [] as number[], late: [] as number[] };
    for (let i = 0; i < SAMPLES; i++) {
      times.early.push(await append('early'));
      times.late.push(await append('late'));
    }
    return { earlyMedianMs: summarize(times.early).p50, lateMedianMs: summarize(times.late).p50 };
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
    measured: `median ${ms(figures.earlyMedianMs)} → ${ms(figures.lateMedianMs)} (${ratio.toFixed(2)}×; ${SAMPLES} appends to each job, in turns)`,
    target: TARGET_APPEND_TARGET,
    ok: verdict(ratio <= 1.5),
  };
}
