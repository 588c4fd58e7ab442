import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, countByStatus, createJob, expectJson, expectStartNotAfterEnd, getJob, jobBody, jobDevices, pollJob, seedFleet } from '../../helpers/engine-fleet.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';

const DEVICES = 100;
const BATCH_SIZE = 20;
const MIN_LATENCY_MS = 150;
const MAX_LATENCY_MS = 300;

describe('stop and resume through the API', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
    await seedFleet(host.call, { count: DEVICES, prefix: 'slow', timeScale: 1, behavior: { propertyFailureRate: 0, latencyMs: { min: MIN_LATENCY_MS, max: MAX_LATENCY_MS } } });
  });
  afterAll(() => host.stop());

  const setTimeScale = async (timeScale: number) => expectJson(await host.call('PUT', '/_fleetlab/simulation', { timeScale }), 200);
  const advanceClock = async (ms: number) => expectJson(await host.call('POST', '/_fleetlab/clock/advance', { ms }), 200);
  const completed = (job: { progress?: { completed: number } }) => job.progress?.completed ?? 0;

  it('stops a running job between batches, finishes in-flight devices, and resumes it to completion', async () => {
    // Simulated time all but stands still unless the test moves it, so what is in flight is known at every step.
    await setTimeScale(0.001);
    try {
      await createJob(host.call, 'slow-job', jobBody('slow', { batch: { type: 'number', value: BATCH_SIZE } }));
      await pollJob(host.call, 'slow-job', (job) => job.status === 'running');
      // Mid-batch: the first batch's quicker devices answered, the others are in flight.
      await advanceClock((MIN_LATENCY_MS + MAX_LATENCY_MS) / 2);
      const { job: midBatch } = await pollJob(host.call, 'slow-job', (job) => completed(job) > 0);
      expect(completed(midBatch)).toBeLessThan(BATCH_SIZE);
      expect((await host.call('POST', api('/api/jobs/slow-job/stop'))).status).toBe(204);
      const atStop = await getJob(host.call, 'slow-job');
      expect(atStop.status).toBe('stopped');

      // The devices in flight answer after the stop...
      await advanceClock(MAX_LATENCY_MS);
      const { job: settled } = await pollJob(host.call, 'slow-job', (job) => completed(job) >= BATCH_SIZE);
      expect(settled).toMatchObject({ status: 'stopped', progress: { total: DEVICES, completed: BATCH_SIZE, failed: 0, pending: DEVICES - BATCH_SIZE } });
      expect(completed(atStop)).toBeLessThan(BATCH_SIZE);
      // ...and no further batch starts: three more answer times pass without a change.
      await advanceClock(3 * MAX_LATENCY_MS);
      expect(await getJob(host.call, 'slow-job')).toMatchObject({ status: 'stopped', progress: settled.progress });
      const devices = await jobDevices(host.call, 'slow-job');
      expect(devices.slice(0, BATCH_SIZE).every((d) => d.status === 'completed')).toBe(true);
      expect(devices.slice(BATCH_SIZE).every((d) => d.status === 'pending')).toBe(true);
      expect(countByStatus(devices).completed).toBe(BATCH_SIZE);
    } finally {
      await setTimeScale(1);
    }

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
