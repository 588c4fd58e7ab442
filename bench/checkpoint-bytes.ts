import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DeviceSlice } from '../electron/domain/fleet-executor.js';
import { JobEngine } from '../electron/domain/jobs/job-engine.js';
import { SimulationClock } from '../electron/domain/simulation-clock.js';
import { memoryStore } from '../electron/domain/persisted.js';
import type { BlockFileHandle, FileOpener } from '../electron/store/block-file.js';
import { FsJobDeviceFiles } from '../electron/store/fs-job-files.js';
import type { DeviceChanges } from '../electron/store/job-files.js';
import { DEFAULT_BEHAVIOR } from '../electron/store/records.js';
import { createSimulatorPool } from '../simulator/pool.js';
import { FAILURE_RATE } from './fleet-job.js';

export interface Checkpoint {
  /** Devices that answered since the previous checkpoint. */
  finished: number;
  bytes: number;
}

/** Real files whose writes are counted. */
function countingOpener(): FileOpener & { bytes: number } {
  const opener = {
    bytes: 0,
    async open(file: string, flags: string): Promise<BlockFileHandle> {
      const handle = await open(file, flags);
      return {
        stat: () => handle.stat(),
        read: (buffer, offset, length, position) => handle.read(buffer, offset, length, position),
        truncate: (length) => handle.truncate(length),
        datasync: () => handle.datasync(),
        close: () => handle.close(),
        write: async (buffer, offset, length, position) => {
          const result = await handle.write(buffer, offset, length, position);
          opener.bytes += result.bytesWritten;
          return result;
        },
      };
    },
  };
  return opener;
}

/**
 * Runs a property job on `devices` devices in 10 % batches at timeScale 0 in this process (simulator pool, job files in
 * a temp dir, no HTTP) and records each checkpoint's bytes. The engine writes one checkpoint of a job at a time, so
 * the bytes written while one is in progress are its own.
 */
export async function measureCheckpointBytes(devices: number): Promise<Checkpoint[]> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-bench-checkpoints-'));
  const pool = createSimulatorPool();
  const clock = new SimulationClock(0);
  const opener = countingOpener();
  const checkpoints: Checkpoint[] = [];
  let answered = 0;
  const files = new (class extends FsJobDeviceFiles<DeviceSlice[]> {
    override async writeChanges(jobId: string, changes: DeviceChanges): Promise<void> {
      const now = engine.get(jobId).completed + engine.get(jobId).failed;
      const before = opener.bytes;
      await super.writeChanges(jobId, changes);
      checkpoints.push({ finished: now - answered, bytes: opener.bytes - before });
      answered = now;
    }
  })(dataDir, opener);
  const profile = { ...DEFAULT_BEHAVIOR, propertyFailureRate: FAILURE_RATE, latencyMs: { min: 50, max: 500 } };
  const engine = new JobEngine({
    store: memoryStore(),
    files,
    clock,
    executor: pool,
    fleet: {
      resolveGroup: () => ({ slices: [{ prefix: 'bench', first: 1, count: devices }], total: devices }),
      behaviorFor: () => ({ profiles: [profile] }),
      normalizeJobValue: (_template, _kind, _path, value) => value,
    },
  });
  try {
    await engine.create('bench-checkpoints', {
      targets: { kind: 'group', group: 'bench' },
      release: { kind: 'batches', batch: { type: 'percentage', value: 10 } },
      operations: [{ kind: 'property', target: 'dtmi:fleetlab:bench;1', path: 'targetTemperature', value: 21.5 }],
    });
    while (!['complete', 'cancelled', 'failed'].includes(engine.get('bench-checkpoints').status)) await new Promise((resolve) => setTimeout(resolve, 20));
    clock.close();
    await engine.close();
    return checkpoints;
  } finally {
    clock.close();
    await pool.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
