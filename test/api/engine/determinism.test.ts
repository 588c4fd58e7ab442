import { afterEach, describe, expect, it } from 'vitest';
import { createJob, jobBody, jobDevices, pollJob, seedFleet, type JobDeviceView } from '../../helpers/engine-fleet.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { DEFAULT_SLICE_SIZE } from '../../../simulator/pool.js';

// More devices than one simulator task takes, so that the job is spread over the pool's workers.
const DEVICES = 2 * DEFAULT_SLICE_SIZE + 1000;

const hosts: TestHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop()));
});

/** Per-device statuses of job "same-id" on a fresh host with this seed and pool size. */
async function outcomes(seed: number, simulatorThreads: number): Promise<JobDeviceView[]> {
  const host = await startTestHost({ simulatorThreads });
  hosts.push(host);
  await seedFleet(host.call, { count: DEVICES, prefix: 'det', seed, timeScale: 0, behavior: { propertyFailureRate: 0.2 } });
  await createJob(host.call, 'same-id', jobBody('det', { batch: { type: 'percentage', value: 50 } }));
  const { job } = await pollJob(host.call, 'same-id');
  expect(job.status).toBe('complete');
  const devices = await jobDevices(host.call, 'same-id');
  expect(devices).toHaveLength(DEVICES);
  return devices;
}

const failedIds = (devices: JobDeviceView[]) => devices.filter((d) => d.status === 'failed').map((d) => d.id);

describe('determinism of per-device outcomes', () => {
  it('gives the same per-device statuses for the same seed, fleet and job id, whatever the pool size', async () => {
    const oneThread = await outcomes(7, 1);
    const twoThreads = await outcomes(7, 2);
    expect(failedIds(oneThread).length).toBeGreaterThan(DEVICES * 0.15);
    expect(twoThreads).toEqual(oneThread);
  });

  it('gives different per-device statuses for another seed', async () => {
    const [seven, eight] = [await outcomes(7, 2), await outcomes(8, 2)];
    expect(failedIds(eight).length).toBeGreaterThan(DEVICES * 0.15);
    expect(failedIds(eight)).not.toEqual(failedIds(seven));
  });
});
