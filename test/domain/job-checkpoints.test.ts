import { describe, expect, it } from 'vitest';
import { silentLog, Supervisor } from '../../electron/domain/background.js';
import { JobCheckpoints } from '../../electron/domain/jobs/job-checkpoints.js';
import type { JobRun } from '../../electron/domain/jobs/job-run.js';
import { memoryStore } from '../../electron/domain/persisted.js';
import type { SimulationClock } from '../../electron/domain/simulation-clock.js';
import type { JobDeviceFiles } from '../../electron/store/job-files.js';
import type { DeviceSlice } from '../../electron/domain/fleet-executor.js';

/** Job files whose writes end only when the test lets them. */
function gatedFiles() {
  const gates: (() => void)[] = [];
  const files = { writeChanges: () => new Promise<void>((resolve) => gates.push(resolve)) } as unknown as JobDeviceFiles<DeviceSlice[]>;
  return { files, gates };
}

describe('job checkpoints', () => {
  it('counts a checkpoint queued behind one in progress as started: settled() waits for both', async () => {
    const { files, gates } = gatedFiles();
    const store = memoryStore();
    const checkpoints = new JobCheckpoints({
      store, files, clock: { wallNow: () => 0 } as unknown as SimulationClock, checkpointMs: 1000,
      supervisor: new Supervisor(silentLog), log: silentLog, isCurrent: () => true, finalSaved: () => undefined,
    });
    const record = { id: 'queued-job', status: 'running', completed: 0, failed: 0 };
    const run = { record, isAbandoned: false, takeChanges: () => [], keepChanges: () => undefined } as unknown as JobRun;

    const first = checkpoints.persist(run);
    await expect.poll(() => gates.length).toBe(1);
    // The run finishes while its checkpoint is being written: its final checkpoint queues behind it.
    Object.assign(record, { status: 'complete', end: 42 });
    const final = checkpoints.persist(run);
    let settled = false;
    const waiting = checkpoints.settled().then(() => (settled = true));

    gates.shift()!();
    await first;
    await expect.poll(() => gates.length).toBe(1);
    expect(settled).toBe(false);
    gates.shift()!();
    await final;
    await waiting;
    expect(store.repository('jobs').get('queued-job')).toMatchObject({ status: 'complete', end: 42 });
  });
});
