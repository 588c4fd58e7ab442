import type { DomainLog, Supervisor } from '../background.js';
import { ClockTimers } from '../clock-timers.js';
import type { DeviceSlice } from '../fleet-executor.js';
import { JobCheckpoints } from './job-checkpoints.js';
import { JobDeviceIndex } from './job-device-index.js';
import type { JobEngineOptions, Stage } from './job-engine-options.js';
import { JobExecutions } from './job-executions.js';
import { JobQueue } from './job-queue.js';
import { JobRecords } from './job-records.js';
import { JobRuns } from './job-runs.js';
import { JobWindow } from './job-window.js';

export interface EngineParts {
  jobs: JobRecords;
  timers: ClockTimers;
  checkpoints: JobCheckpoints;
  runs: JobRuns;
  queue: JobQueue;
  index: JobDeviceIndex;
  executions: JobExecutions;
  window: JobWindow;
}

/**
 * The engine's parts, wired to each other. Each is built before some of those it calls: the callbacks read the later
 * ones only once the engine runs.
 */
export function assembleEngine(options: JobEngineOptions, log: DomainLog, supervisor: Supervisor, flush: (id: string, stage?: Stage) => Promise<void>): EngineParts {
  const { store, files, clock, fleet } = options;
  const timers = new ClockTimers(clock);
  const parts = { timers } as EngineParts;
  parts.checkpoints = new JobCheckpoints({
    store,
    files,
    clock,
    checkpointMs: options.checkpointMs ?? 500,
    supervisor,
    log,
    isCurrent: (run) => parts.jobs.isCurrent(run.record),
    finalSaved: (run) => {
      parts.runs.forget(run);
      parts.queue.pump();
    },
  });
  parts.jobs = new JobRecords(store, clock, parts.checkpoints);
  const groupOrNothing = (group: string): DeviceSlice[] => {
    try {
      return fleet.resolveGroup(group).slices;
    } catch {
      return [];
    }
  };
  parts.index = new JobDeviceIndex(files, { get: (id) => parts.runs.get(id) }, groupOrNothing);
  parts.runs = new JobRuns({
    clock,
    executor: options.executor,
    files,
    behaviorFor: (slices) => fleet.behaviorFor(slices),
    seed: () => store.get('simulation').seed,
    timers,
    checkpoints: parts.checkpoints,
    index: parts.index,
    supervisor,
    log,
    pump: () => parts.queue.pump(),
    ...(options.realDevices && { realDevices: options.realDevices }),
  });
  parts.queue = new JobQueue({
    clock,
    files,
    timers,
    runs: parts.runs,
    checkpoints: parts.checkpoints,
    log,
    concurrency: options.concurrency ?? 5,
    list: () => parts.jobs.list(),
    isCurrent: (job) => parts.jobs.isCurrent(job),
    resolveGroup: (group) => fleet.resolveGroup(group).slices,
    change: (job, change, drop) => parts.jobs.change(job, change, drop),
  });
  parts.window = new JobWindow({ clock, timers, queue: parts.queue, runs: parts.runs, checkpoints: parts.checkpoints, supervisor, jobOf: (id) => parts.jobs.find(id) });
  parts.executions = new JobExecutions(
    {
      get: (id) => parts.jobs.get(id),
      runOf: (id) => parts.runs.get(id),
      update: (job, change, stage) => parts.jobs.change(job, change, [], stage),
      flush,
      outsideStart: (id, write) => parts.queue.outsideStart(id, write),
    },
    parts.index,
    files,
  );
  return parts;
}
