import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countByStatus,
  createJob,
  expectJson,
  expectStartNotAfterEnd,
  jobBody,
  jobDevices,
  pollJob,
  seedFleet,
  api,
  type JobDeviceView,
} from '../../helpers/engine-fleet.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';

const DEVICES = 1000;
const BATCH = { type: 'percentage', value: 10 } as const;
const BATCH_SIZE = 100;

/** Failed devices per batch, batches being consecutive runs of the job's device list. */
const failuresPerBatch = (devices: JobDeviceView[]) =>
  Array.from({ length: Math.ceil(devices.length / BATCH_SIZE) }, (_, b) =>
    devices.slice(b * BATCH_SIZE, (b + 1) * BATCH_SIZE).filter((d) => d.status === 'failed').length,
  );

describe('batches and cancellation thresholds through the API', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(() => host.stop());

  it('cancels a job after its first 10 % batch when that batch has more than 5 % failures, leaving 900 devices pending', async () => {
    await seedFleet(host.call, { count: DEVICES, prefix: 'cut', seed: 11, timeScale: 0, behavior: { propertyFailureRate: 0.3 } });
    await createJob(host.call, 'cut-job', jobBody('cut', { batch: BATCH, cancellationThreshold: { type: 'percentage', value: 5, batch: true } }));
    const { job } = await pollJob(host.call, 'cut-job');
    expect(job.status).toBe('cancelled');
    expectStartNotAfterEnd(job);

    const devices = await jobDevices(host.call, 'cut-job');
    expect(devices).toHaveLength(DEVICES);
    expect(countByStatus(devices).pending).toBe(900);
    expect(devices.slice(0, BATCH_SIZE).every((d) => d.status !== 'pending')).toBe(true);
    expect(failuresPerBatch(devices)[0]).toBeGreaterThan(5);
    expect(job.progress).toEqual({ total: DEVICES, ...countByStatus(devices) });
  });

  it('completes with every device completed when nothing fails', async () => {
    await seedFleet(host.call, { count: DEVICES, prefix: 'ok', timeScale: 0, behavior: { propertyFailureRate: 0 } });
    await createJob(host.call, 'ok-job', jobBody('ok', { batch: BATCH, cancellationThreshold: { type: 'percentage', value: 5, batch: true } }));
    const { job } = await pollJob(host.call, 'ok-job');
    expect(job).toMatchObject({ status: 'complete', progress: { total: DEVICES, pending: 0, completed: DEVICES, failed: 0 } });
    expectStartNotAfterEnd(job);
    expect(countByStatus(await jobDevices(host.call, 'ok-job'))).toEqual({ pending: 0, completed: DEVICES, failed: 0 });
  });

  it('completes despite failures without a threshold, and a rerun targets exactly the failed devices', async () => {
    await seedFleet(host.call, { count: DEVICES, prefix: 'flaky', seed: 5, timeScale: 0, behavior: { propertyFailureRate: 0.2 } });
    await createJob(host.call, 'flaky-job', jobBody('flaky', { batch: BATCH }));
    const { job } = await pollJob(host.call, 'flaky-job');
    expect(job.status).toBe('complete');
    expectStartNotAfterEnd(job);
    const devices = await jobDevices(host.call, 'flaky-job');
    const failed = devices.filter((d) => d.status === 'failed').map((d) => d.id);
    expect(failed.length).toBeGreaterThan(100);
    expect(failed.length).toBeLessThan(300);
    expect(job.progress).toEqual({ total: DEVICES, pending: 0, completed: DEVICES - failed.length, failed: failed.length });

    const rerun = await expectJson<{ id: string; status: string }>(await host.call('PUT', api('/api/jobs/flaky-job/rerun/flaky-rerun')), 200);
    expect(rerun.id).toBe('flaky-rerun');
    const { job: rerunJob } = await pollJob(host.call, 'flaky-rerun');
    expect(rerunJob.status).toBe('complete');
    expect(rerunJob.progress?.total).toBe(failed.length);
    const rerunDevices = await jobDevices(host.call, 'flaky-rerun');
    expect(rerunDevices.map((d) => d.id).sort()).toEqual([...failed].sort());
    expect(countByStatus(rerunDevices).pending).toBe(0);
  });

  it('cancels on a whole-job threshold by number at the first device that crosses it, counting across batches', async () => {
    const LIMIT = 20;
    await seedFleet(host.call, { count: DEVICES, prefix: 'total', seed: 3, timeScale: 0, behavior: { propertyFailureRate: 0.05 } });
    await createJob(host.call, 'total-job', jobBody('total', { batch: BATCH, cancellationThreshold: { type: 'number', value: LIMIT, batch: false } }));
    const { job, polls } = await pollJob(host.call, 'total-job', undefined, { intervalMs: 5 });
    expect(job.status).toBe('cancelled');
    expectStartNotAfterEnd(job);
    expect(polls.every((p) => p.status !== 'cancelled' || p.progress!.failed > LIMIT)).toBe(true);

    const devices = await jobDevices(host.call, 'total-job');
    const perBatch = failuresPerBatch(devices);
    const attempted = devices.filter((d) => d.status !== 'pending').length;
    const batchesRun = attempted / BATCH_SIZE;
    // Every started batch finishes (in-flight devices are recorded); the job stops after the batch that crossed the limit.
    expect(Number.isInteger(batchesRun)).toBe(true);
    expect(devices.slice(0, attempted).every((d) => d.status !== 'pending')).toBe(true);
    const before = perBatch.slice(0, batchesRun - 1).reduce((a, b) => a + b, 0);
    expect(before).toBeLessThanOrEqual(LIMIT);
    expect(before + perBatch[batchesRun - 1]!).toBeGreaterThan(LIMIT);
    // With a 5 % failure rate and a whole-job limit of 20, no single batch of 100 crosses it: several batches ran.
    expect(batchesRun).toBeGreaterThan(1);
    expect(batchesRun).toBeLessThan(DEVICES / BATCH_SIZE);
  });
});
