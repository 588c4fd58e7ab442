import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, countByStatus, createJob, expectJson, expectStartNotAfterEnd, getJob, jobBody, jobDevices, pollJob, seedFleet, sleep } from '../../helpers/engine-fleet.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';

const DEVICES = 100;
const BATCH_SIZE = 20;
const MAX_LATENCY_MS = 300;

describe('stop and resume through the API', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
    // Real time with latencies of a few hundred ms, so a batch is still in flight when the client stops the job.
    await seedFleet(host.call, { count: DEVICES, prefix: 'slow', timeScale: 1, behavior: { propertyFailureRate: 0, latencyMs: { min: 150, max: MAX_LATENCY_MS } } });
  });
  afterAll(() => host.stop());

  it('stops a running job between batches, finishes in-flight devices, and resumes it to completion', async () => {
    await createJob(host.call, 'slow-job', jobBody('slow', { batch: { type: 'number', value: BATCH_SIZE } }));
    // Mid-batch: some devices of the current batch answered, the others are in flight.
    await pollJob(host.call, 'slow-job', (job) => job.progress !== undefined && job.progress.completed % BATCH_SIZE !== 0, { intervalMs: 5 });
    expect((await host.call('POST', api('/api/jobs/slow-job/stop'))).status).toBe(204);
    const atStop = await getJob(host.call, 'slow-job');
    expect(atStop.status).toBe('stopped');

    // Long enough for the batch in flight to answer, and for several more batches to have started were it still running.
    await sleep(3 * MAX_LATENCY_MS);
    const settled = await jobDevices(host.call, 'slow-job');
    const attempted = settled.filter((d) => d.status !== 'pending').length;
    expect(attempted % BATCH_SIZE).toBe(0);
    expect(attempted).toBeGreaterThanOrEqual(BATCH_SIZE);
    expect(attempted).toBeLessThan(DEVICES);
    expect(settled.slice(0, attempted).every((d) => d.status === 'completed')).toBe(true);
    expect(settled.slice(attempted).every((d) => d.status === 'pending')).toBe(true);
    // Devices that were in flight when the job stopped answered afterwards.
    expect(atStop.progress!.completed).toBeLessThan(attempted);

    await sleep(2 * MAX_LATENCY_MS);
    const stopped = await getJob(host.call, 'slow-job');
    expect(stopped).toMatchObject({ status: 'stopped', progress: { total: DEVICES, completed: attempted, failed: 0, pending: DEVICES - attempted } });
    expect(countByStatus(await jobDevices(host.call, 'slow-job')).completed).toBe(attempted);

    expect((await host.call('POST', api('/api/jobs/slow-job/resume'))).status).toBe(204);
    const { job, polls } = await pollJob(host.call, 'slow-job');
    expect(job).toMatchObject({ status: 'complete', progress: { total: DEVICES, pending: 0, completed: DEVICES, failed: 0 } });
    expectStartNotAfterEnd(job);
    expect(polls.some((p) => p.status === 'running' || p.status === 'pending')).toBe(true);
    expect(countByStatus(await jobDevices(host.call, 'slow-job'))).toEqual({ pending: 0, completed: DEVICES, failed: 0 });
  });

  it('answers 409 to stopping a job that has finished', async () => {
    await createJob(host.call, 'quick-job', jobBody('slow'));
    const { job } = await pollJob(host.call, 'quick-job');
    expect(job.status).toBe('complete');
    const res = await host.call('POST', api('/api/jobs/quick-job/stop'));
    const body = await expectJson<{ error: { code: string; message: string } }>(res, 409);
    expect(body.error.code).toBe('Conflict');
    expect(body.error.message).toContain('quick-job');
    expect((await getJob(host.call, 'quick-job')).status).toBe('complete');
  });
});
