import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { expectMatchesSpec } from '../../helpers/spec.js';
import { advanceClock, CentralClient, HOWTO_GROUP, THERMOSTAT_ID, seedThermostats, setSimulation, setTemplateBehavior, type Json } from './job-fixtures.js';

// "Use the REST API to manage jobs in Azure IoT Central" (seeds/000_d1d2453d440a026e.txt), request for request.
const VERSION = 'preview';
const HOWTO_CREATE_BODY = {
  displayName: 'Set target temperature',
  description: 'Set target temperature device property',
  group: HOWTO_GROUP,
  batch: { type: 'percentage', value: 25 },
  cancellationThreshold: { type: 'percentage', value: 10, batch: false },
  data: [{ type: 'PropertyJobData', target: THERMOSTAT_ID, path: 'targetTemperature', value: '55' }],
};
const THERMS = ['therm-01', 'therm-02', 'therm-03', 'therm-04'];

describe('the jobs how-to, as written (api-version=preview)', () => {
  let host: TestHost;
  let central: CentralClient;
  // The how-to's app is set up in the UI; its device groups have no API in `preview` (1.1-preview).
  let setup: CentralClient;
  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1 });
    central = new CentralClient(host, VERSION);
    setup = new CentralClient(host, '2022-07-31');
    await seedThermostats(setup);
    await setSimulation(host, { defaults: { latencyMs: { min: 20, max: 60 } } });
  });
  afterAll(() => host.stop());

  it('creates job-006 as pending, runs it to complete on four devices and sets targetTemperature to 55', async () => {
    const created = await central.expect(200, 'PUT', '/jobs/job-006', HOWTO_CREATE_BODY);
    expectMatchesSpec(VERSION, 'Jobs_Create', 200, created);
    expect(created).toEqual({ id: 'job-006', ...HOWTO_CREATE_BODY, status: 'pending' });

    const done = await central.waitForJob('job-006');
    expectMatchesSpec(VERSION, 'Jobs_Get', 200, done);
    expect(done).toMatchObject({ id: 'job-006', ...HOWTO_CREATE_BODY, status: 'complete', progress: { total: 4, pending: 0, completed: 4, failed: 0 } });
    expect(Date.parse(done.end as string)).toBeGreaterThanOrEqual(Date.parse(done.start as string));

    const devices = await central.expect(200, 'GET', '/jobs/job-006/devices');
    expectMatchesSpec(VERSION, 'Jobs_GetDevices', 200, devices);
    expect(devices).toEqual({ value: THERMS.map((id) => ({ id, status: 'completed' })) });

    const properties = await central.expect(200, 'GET', '/devices/therm-01/properties');
    expectMatchesSpec(VERSION, 'Devices_GetProperties', 200, properties);
    expect(properties.targetTemperature).toBe(55);

    const list = await central.expect<{ value: Json[] }>(200, 'GET', '/jobs');
    expectMatchesSpec(VERSION, 'Jobs_List', 200, list);
    expect(list.value.find((job) => job.id === 'job-006')).toMatchObject({ displayName: 'Set target temperature', status: 'complete' });
  });

  it('stops a batched job while it runs and resumes it to completion (204 each)', async () => {
    // Simulated time all but stands still (a 300 ms answer takes 5 real minutes) unless the test moves it: the first
    // device is surely still in flight when the job stops, and each wait below is a move of the clock, not a sleep.
    await setSimulation(host, { timeScale: 0.001, defaults: { latencyMs: { min: 300, max: 300 } } });
    try {
      await central.expect(200, 'PUT', '/jobs/job-stop', { ...HOWTO_CREATE_BODY, batch: { type: 'number', value: 1 }, data: [{ ...HOWTO_CREATE_BODY.data[0], value: 21 }] });
      await central.waitForJob('job-stop', (job) => job.status === 'running');
      const stopAnswer = await central.expect(204, 'POST', '/jobs/job-stop/stop');
      expectMatchesSpec(VERSION, 'Jobs_Stop', 204, stopAnswer);
      expect((await central.job('job-stop')).progress).toMatchObject({ completed: 0, pending: 4 });

      // The batch in flight (one device) answers and is recorded...
      await advanceClock(host, 300);
      const stopped = await central.waitForJob('job-stop', (job) => (job.progress as { completed: number }).completed > 0);
      expectMatchesSpec(VERSION, 'Jobs_Get', 200, stopped);
      expect(stopped).toMatchObject({ status: 'stopped', progress: { total: 4, completed: 1, failed: 0, pending: 3 } });
      // ...and no further batch starts while stopped: two more answer times pass without a change.
      await advanceClock(host, 700);
      expect((await central.job('job-stop')).progress).toEqual(stopped.progress);
      const progress = stopped.progress as { pending: number };
      const pendingDevices = await central.expect<{ value: Json[] }>(200, 'GET', '/jobs/job-stop/devices');
      expect(pendingDevices.value.filter((device) => device.status === 'pending')).toHaveLength(progress.pending);

      await setSimulation(host, { timeScale: 1 });
      const resumeAnswer = await central.expect(204, 'POST', '/jobs/job-stop/resume');
      expectMatchesSpec(VERSION, 'Jobs_Resume', 204, resumeAnswer);
      const done = await central.waitForJob('job-stop');
      expect(done).toMatchObject({ status: 'complete', progress: { total: 4, pending: 0, completed: 4, failed: 0 } });

      const again = await central.expect<{ error: Json }>(409, 'POST', '/jobs/job-stop/stop');
      expect(again.error.code).toBe('Conflict');
      expect((await central.expect<{ error: Json }>(404, 'POST', '/jobs/no-such-job/resume')).error.code).toBe('NotFound');
    } finally {
      await setSimulation(host, { timeScale: 1, defaults: { latencyMs: { min: 20, max: 60 } } });
    }
  });

  it('runs the how-to command job (CommandJobData getMaxMinReport) to complete', async () => {
    const body = {
      displayName: 'Run device report',
      description: 'Call command to run the device reports',
      group: HOWTO_GROUP,
      batch: { type: 'percentage', value: 25 },
      cancellationThreshold: { type: 'percentage', value: 10, batch: false },
      data: [{ type: 'CommandJobData', target: THERMOSTAT_ID, path: 'getMaxMinReport', value: '2021-06-15T05:00:00.000Z' }],
    };
    const created = await central.expect(200, 'PUT', '/jobs/job-004', body);
    expectMatchesSpec(VERSION, 'Jobs_Create', 200, created);
    expect(created).toEqual({ id: 'job-004', ...body, status: 'pending' });
    const done = await central.waitForJob('job-004');
    expect(done).toMatchObject({ ...body, status: 'complete', progress: { total: 4, completed: 4, failed: 0, pending: 0 } });
    const devices = await central.expect(200, 'GET', '/jobs/job-004/devices');
    expect(devices).toEqual({ value: THERMS.map((id) => ({ id, status: 'completed' })) });
  });

  it('runs the how-to cloud property job (CloudPropertyJobData) and the devices show the value', async () => {
    const body = {
      displayName: 'Set customer name',
      description: 'Set the customer name cloud property',
      group: HOWTO_GROUP,
      data: [{ type: 'CloudPropertyJobData', target: THERMOSTAT_ID, path: 'CustomerName', value: 'Contoso' }],
    };
    expect(await central.expect(200, 'PUT', '/jobs/job-cloud', body)).toEqual({ id: 'job-cloud', ...body, status: 'pending' });
    expect(await central.waitForJob('job-cloud')).toMatchObject({ status: 'complete', progress: { total: 4, completed: 4 } });
    const properties = await central.expect(200, 'GET', '/devices/therm-03/properties');
    expectMatchesSpec(VERSION, 'Devices_GetProperties', 200, properties);
    expect(properties.CustomerName).toBe('Contoso');
  });

  it('rejects a job whose value does not fit the capability with 422 in the error shape', async () => {
    const res = await central.call('PUT', '/jobs/job-bad', { ...HOWTO_CREATE_BODY, data: [{ ...HOWTO_CREATE_BODY.data[0], value: 'warm' }] });
    expect(res.status).toBe(422);
    expect(res.headers.get('x-ms-error-code')).toBe('UnprocessableEntity');
    const body = (await res.json()) as { error: Json };
    expect(body.error.message).toContain('targetTemperature');
    await central.expect(404, 'GET', '/jobs/job-bad');
  });

  it('reruns a job on exactly its failed devices', async () => {
    // Last: these devices join the how-to group too (its filter is the template).
    const fleet = Array.from({ length: 20 }, (_, i) => `flaky-${String(i + 1).padStart(2, '0')}`);
    await seedThermostats(setup, fleet, 'flaky-thermostats');
    await setup.expect(200, 'PATCH', '/deviceGroups/flaky-thermostats', { filter: `SELECT * FROM devices WHERE startswith($id, "flaky-")` });
    await setTemplateBehavior(host, THERMOSTAT_ID, { propertyFailureRate: 0.5 });
    try {
      await central.expect(200, 'PUT', '/jobs/job-flaky', { displayName: 'Flaky', group: 'flaky-thermostats', data: HOWTO_CREATE_BODY.data });
      const original = await central.waitForJob('job-flaky');
      // Failures that never cross a threshold leave the job complete, as the spec's example shows.
      expect(original.status).toBe('complete');
      const statuses = await central.walk('/jobs/job-flaky/devices');
      const failed = statuses.filter((device) => device.status === 'failed').map((device) => device.id);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.length).toBeLessThan(fleet.length);
      expect(original.progress).toMatchObject({ total: 20, failed: failed.length, completed: 20 - failed.length });
    } finally {
      await setTemplateBehavior(host, THERMOSTAT_ID, { propertyFailureRate: 0 });
    }
    const failedIds = (await central.walk('/jobs/job-flaky/devices')).filter((device) => device.status === 'failed').map((device) => device.id);

    const rerun = await central.expect(200, 'PUT', '/jobs/job-flaky/rerun/rerun-001');
    expectMatchesSpec(VERSION, 'Jobs_Rerun', 200, rerun);
    expect(rerun).toMatchObject({ id: 'rerun-001', displayName: 'Flaky', group: 'flaky-thermostats', data: HOWTO_CREATE_BODY.data });
    const done = await central.waitForJob('rerun-001');
    expect(done).toMatchObject({ status: 'complete', progress: { total: failedIds.length, completed: failedIds.length, failed: 0 } });
    const rerunDevices = await central.walk('/jobs/rerun-001/devices');
    expect(rerunDevices).toEqual(failedIds.map((id) => ({ id, status: 'completed' })));

    expect((await central.expect<{ error: Json }>(404, 'PUT', '/jobs/no-such-job/rerun/rerun-404')).error.code).toBe('NotFound');
    const nothingFailed = await central.expect<{ error: Json }>(422, 'PUT', '/jobs/rerun-001/rerun/rerun-002');
    expect(nothingFailed.error.message).toContain('no failed devices');
    expect((await central.expect<{ error: Json }>(409, 'PUT', '/jobs/job-flaky/rerun/rerun-001')).error.code).toBe('Conflict');
  });
});
