import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, expectJson, expectStartNotAfterEnd, jobBody, pollJob, seedFleet } from '../../helpers/engine-fleet.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface Page<T> {
  value: T[];
}

describe('scheduled jobs in virtual time', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
    await seedFleet(host.call, { count: 50, prefix: 'night', timeScale: 0 });
  });
  afterAll(() => host.stop());

  const simulatedNow = async () => Date.parse((await expectJson<{ now: string }>(await host.call('GET', '/_fleetlab/simulation'), 200)).now);
  const advance = async (ms: number) => expectJson<{ now: string }>(await host.call('POST', '/_fleetlab/clock/advance', { ms }), 200);
  const instances = async (id: string) =>
    (await expectJson<Page<{ id: string; start?: string; status: string }>>(await host.call('GET', api(`/api/scheduledJobs/${id}/jobs`)), 200)).value;

  it('runs each occurrence when the clock is advanced past it, each instance starting at its scheduled time', async () => {
    // Whole seconds, as a client would write a schedule.
    const at = Math.ceil((await simulatedNow()) / 1000) * 1000 + 2 * HOUR;
    const schedule = { start: new Date(at).toISOString(), recurrence: 'daily', end: { type: 'occurrences', occurrences: 2 } };
    await expectJson(await host.call('PUT', api('/api/scheduledJobs/nightly'), { ...jobBody('night'), schedule }), 200);

    await advance(HOUR);
    expect(await instances('nightly')).toEqual([]);

    await advance(2 * HOUR);
    expect((await instances('nightly')).map((job) => job.id)).toEqual(['nightly-1']);
    const { job: first } = await pollJob(host.call, 'nightly-1');
    expect(first).toMatchObject({ status: 'complete', progress: { total: 50, pending: 0, completed: 50, failed: 0 } });
    expect(first.start).toBe(new Date(at).toISOString());
    expectStartNotAfterEnd(first);

    await advance(DAY);
    expect((await instances('nightly')).map((job) => job.id).sort()).toEqual(['nightly-1', 'nightly-2']);
    const { job: second } = await pollJob(host.call, 'nightly-2');
    expect(second.status).toBe('complete');
    expect(second.start).toBe(new Date(at + DAY).toISOString());

    await advance(7 * DAY);
    expect(await instances('nightly')).toHaveLength(2);
    const scheduled = await expectJson<{ completed: boolean }>(await host.call('GET', api('/api/scheduledJobs/nightly')), 200);
    expect(scheduled.completed).toBe(true);
  });
});
