import { vi } from 'vitest';
import type { JobEngine } from '../../electron/domain/jobs/job-engine.js';
import type { JobRecord } from '../../electron/domain/jobs/job-model.js';

export const finished = (job: JobRecord) => ['complete', 'cancelled', 'failed'].includes(job.status);

/**
 * Waits until the job satisfies `done`, failing with its state after `timeoutMs`. Under fake timers each check
 * advances them by the interval, so simulated work moves on between checks.
 */
export async function until(engine: JobEngine, id: string, done: (job: JobRecord) => boolean = finished, timeoutMs = 10_000): Promise<JobRecord> {
  return vi.waitFor(
    () => {
      const job = engine.get(id);
      if (!done(job)) throw new Error(`job ${id} stayed ${job.status} (${job.completed} completed, ${job.failed} failed)`);
      return job;
    },
    { timeout: timeoutMs, interval: 5 },
  );
}
