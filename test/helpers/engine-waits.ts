import type { JobEngine } from '../../electron/domain/jobs/job-engine.js';
import type { JobRecord } from '../../electron/domain/jobs/job-model.js';

export const finished = (job: JobRecord) => ['complete', 'cancelled', 'failed'].includes(job.status);

/** Polls the engine until the job satisfies `done`, failing with its state after `timeoutMs`. */
export async function until(engine: JobEngine, id: string, done: (job: JobRecord) => boolean = finished, timeoutMs = 10_000): Promise<JobRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = engine.get(id);
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} stayed ${job.status} (${job.completed} completed, ${job.failed} failed)`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
