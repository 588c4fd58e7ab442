import type { Supervisor } from '../background.js';
import type { ClockTimers } from '../clock-timers.js';
import type { SimulationClock } from '../simulation-clock.js';
import type { JobCheckpoints } from './job-checkpoints.js';
import { isFinished, type JobRecord } from './job-model.js';
import type { EndMode } from './job-spec.js';
import type { JobQueue } from './job-queue.js';
import type { JobRuns } from './job-runs.js';

export interface JobWindowOptions {
  clock: SimulationClock;
  timers: ClockTimers;
  queue: JobQueue;
  runs: JobRuns;
  checkpoints: JobCheckpoints;
  supervisor: Supervisor;
  /** The engine's live record of that id, if it still has one. */
  jobOf(id: string): JobRecord | undefined;
}

/** A job's time window: it starts no earlier than its start time, and at its end time what its end mode says happens. */
export class JobWindow {
  constructor(private readonly options: JobWindowOptions) {}

  arm(job: JobRecord): void {
    const { timers, queue, supervisor } = this.options;
    timers.cancel(job.id, 'start');
    timers.cancel(job.id, 'end');
    queue.armStart(job);
    const endAt = job.spec.window?.endAt;
    if (!endAt) return;
    timers.set(job.id, 'end', endAt.at, 'timer', () => supervisor.run(`Ending job "${job.id}" at its end time`, () => this.end(job.id, endAt.mode)));
  }

  /**
   * A job's end time is the engine's own event, like a threshold: applied at once, so that releases due later in the same
   * clock advance do not run, and saved afterwards.
   */
  private async end(id: string, mode: EndMode): Promise<void> {
    const { runs, checkpoints, queue, clock } = this.options;
    const job = this.options.jobOf(id);
    if (!job || isFinished(job.status)) return;
    const run = runs.get(id);
    if (mode === 'stopReleasing' && run) return run.stopReleasing();
    job.status = 'cancelled';
    if (!run) {
      job.end = clock.now();
      await checkpoints.save(job);
      return queue.pump();
    }
    if (mode === 'forceCancel') run.forceStop();
    if (run.inFlight === 0) return runs.settle(run);
    checkpoints.checkpoint(run, true);
  }
}
