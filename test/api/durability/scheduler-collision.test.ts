import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { CentralClient, HOWTO_GROUP, THERMOSTAT_ID, seedThermostats, type Json } from '../central/job-fixtures.js';

const job = (displayName: string) => ({
  displayName,
  group: HOWTO_GROUP,
  data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 19 }],
});

describe('a scheduled run whose job id is already taken', () => {
  let host: TestHost;
  let central: CentralClient;
  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1 });
    central = new CentralClient(host, '2022-07-31');
    await seedThermostats(central, ['therm-01', 'therm-02']);
  });
  afterAll(() => host.stop());

  it('runs under the next free id while the job created by hand keeps its own, and the server keeps answering', async () => {
    await central.expect(200, 'PUT', '/jobs/nightly-1', job('By hand'));
    const past = new Date(Date.now() - 3600_000).toISOString();
    await central.expect(200, 'PUT', '/scheduledJobs/nightly', { ...job('Nightly'), schedule: { start: past } });

    const instances = await vi.waitFor(
      async () => {
        const { value } = await central.expect<{ value: Json[] }>(200, 'GET', '/scheduledJobs/nightly/jobs');
        if (value.length === 0) throw new Error('the schedule has not started an instance yet');
        return value;
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(instances.map((instance) => instance.id)).toEqual(['nightly-1-2']);
    expect(instances[0]).toMatchObject({ displayName: 'Nightly - 1' });
    expect(await central.job('nightly-1')).toMatchObject({ displayName: 'By hand' });
    expect((await central.expect<{ value: Json[] }>(200, 'GET', '/jobs')).value.map((listed) => listed.id).sort()).toEqual(['nightly-1', 'nightly-1-2']);
  });
});
