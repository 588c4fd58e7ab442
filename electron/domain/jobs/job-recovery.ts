import path from 'node:path';
import { CorruptJobFileError, type JobDeviceFiles } from '../../store/job-files.js';
import type { ClockTimers } from '../clock-timers.js';
import type { DeviceSlice } from '../fleet-executor.js';
import type { SimulationClock } from '../simulation-clock.js';
import type { JobCheckpoints } from './job-checkpoints.js';
import type { JobDeviceIndex } from './job-device-index.js';
import { isFinished, type JobRecord } from './job-model.js';
import type { JobRuns } from './job-runs.js';
import { readStoredRun } from './stored-run.js';

export interface RecoveryContext {
  clock: SimulationClock;
  files: JobDeviceFiles<DeviceSlice[]>;
  runs: JobRuns;
  index: JobDeviceIndex;
  timers: ClockTimers;
  checkpoints: JobCheckpoints;
  /** Arms an unfinished job's start and end timers. */
  armTimers(job: JobRecord): void;
  notice(message: string): void;
}

/**
 * Picks up the jobs of a data dir (at start, or after a snapshot import): running ones carry on from their files
 * (in-flight devices are retried), finished ones are read back for the views, and a job whose file is damaged fails
 * with the reason while the others carry on.
 */
export async function recoverJobs(jobs: readonly JobRecord[], context: RecoveryContext): Promise<void> {
  catchUpClock(jobs, context.clock);
  for (const job of jobs) {
    if (!isFinished(job.status)) context.armTimers(job);
    if (job.status === 'cancelled' && job.end === undefined) job.end = context.clock.now();
    if (job.total === undefined) continue;
    try {
      if (isFinished(job.status)) {
        const { set, status } = await readStoredRun(context.files, job);
        context.index.rememberFinished(job, { devices: set, status });
      } else if (job.status === 'running') (await context.runs.load(job)).advance();
      else await context.runs.load(job);
    } catch (error) {
      if (!(error instanceof CorruptJobFileError)) throw error;
      await setAside(job, error, context);
    }
  }
}

/** Simulated time restarts from real time; it must not run back behind times jobs recorded, or a job could end before it started. */
function catchUpClock(jobs: readonly JobRecord[], clock: SimulationClock): void {
  const latest = Math.max(...jobs.flatMap((job) => [job.admittedAt ?? 0, job.start ?? 0, job.end ?? 0]));
  const behind = latest - clock.now();
  if (behind > 0) clock.advance(behind);
}

/** Renames the file aside, names it in a notice, and fails its job; the other jobs carry on. */
async function setAside(job: JobRecord, error: CorruptJobFileError, context: RecoveryContext): Promise<void> {
  const aside = await context.files.moveAside(job.id, error.file);
  const where = aside ? `; moved aside as ${aside}` : '';
  context.notice(`Job "${job.id}": its ${error.file} ${error.reason}${where}. The job is marked failed; its other files are kept.`);
  context.runs.delete(job.id);
  context.timers.cancel(job.id);
  context.index.forget(job.id);
  Object.assign(job, {
    status: 'failed',
    failure: `The job's device file ${error.file} ${error.reason}${aside ? ` (moved aside as ${path.basename(aside)})` : ''}.`,
    end: job.end ?? context.clock.now(),
  });
  await context.checkpoints.saveOrLog(job);
}
