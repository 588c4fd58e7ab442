import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createJob, expectJson, expectStartNotAfterEnd, getJob, jobBody, pollJob, seedFleet } from '../../helpers/engine-fleet.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';

const DAY = 24 * 3600_000;

describe('simulated time across a restart', () => {
  const hosts: TestHost[] = [];
  let dataDir = '';
  afterAll(async () => {
    await Promise.all(hosts.map((host) => host.stop()));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('does not run back behind a job that started in the simulated future, so the job ends after it started', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-clock-'));
    const before = await startTestHost({ dataDir });
    hosts.push(before);
    await seedFleet(before.call, { count: 40, prefix: 'ahead', timeScale: 1, behavior: { latencyMs: { min: 300, max: 600 } } });
    await expectJson(await before.call('POST', '/_fleetlab/clock/advance', { ms: DAY }), 200);
    await createJob(before.call, 'ahead-job', jobBody('ahead', { batch: { type: 'number', value: 20 } }));
    await pollJob(before.call, 'ahead-job', (job) => job.status === 'running', { intervalMs: 5 });
    await before.stop();

    const after = await startTestHost({ dataDir });
    hosts.push(after);
    const started = Date.parse((await getJob(after.call, 'ahead-job')).start!);
    const now = Date.parse((await expectJson<{ now: string }>(await after.call('GET', '/_fleetlab/simulation'), 200)).now);
    expect(now).toBeGreaterThanOrEqual(started);
    const { job } = await pollJob(after.call, 'ahead-job');
    expect(job).toMatchObject({ status: 'complete', progress: { total: 40, pending: 0, completed: 40, failed: 0 } });
    expectStartNotAfterEnd(job);
  });
});
