import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { EXAMPLE_TEMPLATE, EXAMPLE_TEMPLATE_ID, VERSIONS, example } from './device-examples.js';
import { EXAMPLES_DIR, EXAMPLES_PRESENT, expectExampleReplay } from './example-shape.js';
import { CentralClient, isFinishedJob, setSimulation, setTemplateBehavior, type Json } from './job-fixtures.js';

// Every jobs and scheduledJobs example of Microsoft's spec, replayed as written, plus the two device property reads
// that test/api/central/devices.test.ts does not replay. The other device, group and template examples live there.
if (!EXAMPLES_PRESENT) console.warn(`examples.test.ts: skipped, the spec examples folder ${EXAMPLES_DIR} is absent.`);

const JOB_TEMPLATE = 'urn:1dgygpt7t:modelDefinition:02uwtefvdy';
const JOB_GROUP = '475cad48-b7ff-4a09-b51e-1a9021385453';
const JOB_DEVICES = ['ylleedih6k', 't81v3k204k', 'iotc-1', 'iotc', '1c5cs18m7k1'];
const SCHEDULE_GROUP = 'ad86219f-d224-48ad-a29b-b593a4e4bb38';
const SCHEDULE_TEMPLATES = ['dtmi:modelDefinition:test;1', 'dtmi:modelDefinition:bhmvjf0oj:k6ulbcbyndp'];

const model = (contents: unknown[]) => ({ '@type': ['ModelDefinition', 'DeviceModel'], capabilityModel: { '@type': 'Interface', contents } });
const JOB_MODEL = model([
  { '@type': 'Component', name: 'componentName', schema: { '@type': 'Interface', contents: [{ '@type': 'Property', name: 'propertyName', schema: 'string', writable: true }] } },
]);
const rebootModel = (request?: unknown) =>
  model([{ '@type': 'Command', name: 'Reboot', ...(request !== undefined && { request }) }, { '@type': 'Command', name: 'UpdateFirmware' }]);

/** A template, devices of it and a group selecting them, created through the API as an app would have them. */
async function seed(central: CentralClient, template: string, body: unknown, group: string, devices: string[]): Promise<void> {
  await central.expect(200, 'PUT', `/deviceTemplates/${template}`, body);
  for (const id of devices) await central.expect(200, 'PUT', `/devices/${id}`, { displayName: id, template, simulated: true, enabled: true });
  await central.expect(200, 'PUT', `/deviceGroups/${group}`, { displayName: 'Example group', filter: `SELECT * FROM devices WHERE $template = "${template}"` });
}

describe.runIf(EXAMPLES_PRESENT).each(VERSIONS)('jobs examples (api-version %s)', (version) => {
  let host: TestHost;
  let central: CentralClient;
  const api = (path: string) => central.path(path);
  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1 });
    central = new CentralClient(host, version);
    await seed(central, JOB_TEMPLATE, JOB_MODEL, JOB_GROUP, JOB_DEVICES);
  });
  afterAll(() => host.stop());

  it('replays Jobs_Create, _Get, _List, _Stop, _Resume and _GetDevices on one job', async () => {
    // Slow devices, so that the job is still running when the stop example is sent.
    await setSimulation(host, { defaults: { latencyMs: { min: 1500, max: 1500 } } });
    const list = example(version, 'jobs_list');
    const listed = (list.responses[200]!.body as { value: Json[] }).value;
    // Jobs list newest first, so the jobs the list shows after myJobId were created before it.
    for (const { id, status: _status, ...body } of listed.slice(1).reverse()) await central.expect(200, 'PUT', `/jobs/${id as string}`, body);

    const create = example(version, 'jobs_create');
    const created = await host.call('PUT', api(`/jobs/${create.parameters.jobId as string}`), create.parameters.body);
    expect(((await expectExampleReplay(created, create, 'Jobs_Create', ['status'])) as Json).status).toBe('pending');

    const get = example(version, 'jobs_get');
    await expectExampleReplay(await host.call('GET', api(`/jobs/${get.parameters.jobId as string}`)), get, 'Jobs_Get', ['status']);
    await expectExampleReplay(await host.call('GET', api('/jobs')), list, 'Jobs_List', ['status']);

    await central.waitForJob('myJobId', (job) => job.status === 'running');
    const stop = example(version, 'jobs_stop');
    await expectExampleReplay(await host.call('POST', api(`/jobs/${stop.parameters.jobId as string}/stop`)), stop, 'Jobs_Stop');
    expect((await central.job('myJobId')).status).toBe('stopped');
    const resume = example(version, 'jobs_resume');
    await expectExampleReplay(await host.call('POST', api(`/jobs/${resume.parameters.jobId as string}/resume`)), resume, 'Jobs_Resume');
    expect(await central.waitForJob('myJobId')).toMatchObject({ status: 'complete', progress: { total: 5, completed: 5 } });

    const devices = example(version, 'jobs_devices');
    await expectExampleReplay(await host.call('GET', api(`/jobs/${devices.parameters.jobId as string}/devices`)), devices, 'Jobs_GetDevices');
  });

  it('replays Jobs_Rerun on a job whose devices all failed', async () => {
    const fresh = await startTestHost({ simulatorThreads: 1 });
    try {
      const client = new CentralClient(fresh, version);
      await seed(client, JOB_TEMPLATE, JOB_MODEL, JOB_GROUP, JOB_DEVICES);
      await setTemplateBehavior(fresh, JOB_TEMPLATE, { propertyFailureRate: 1 });
      const create = example(version, 'jobs_create');
      await client.expect(200, 'PUT', '/jobs/myJobId', create.parameters.body);
      expect(await client.waitForJob('myJobId')).toMatchObject({ progress: { failed: 5 } });
      const rerun = example(version, 'jobs_rerun');
      const { jobId, rerunId } = rerun.parameters as Record<string, string>;
      await expectExampleReplay(await fresh.call('PUT', client.path(`/jobs/${jobId}/rerun/${rerunId}`)), rerun, 'Jobs_Rerun', ['status']);
      expect((await client.walk('/jobs/myJobRerunId/devices')).map((device) => device.id)).toEqual(JOB_DEVICES);
    } finally {
      await fresh.stop();
    }
  });

  it('replays Devices_GetProperties and Devices_GetComponentProperties after the writes they show', async () => {
    await central.expect(200, 'PUT', `/deviceTemplates/${EXAMPLE_TEMPLATE_ID}`, EXAMPLE_TEMPLATE);
    await central.expect(200, 'PUT', '/devices/mx1', { displayName: 'mx1', template: EXAMPLE_TEMPLATE_ID, simulated: true });
    await central.expect(202, 'PATCH', '/devices/mx1/components/settings/properties', { fanSpeed: 35, voltage: 5, current: 2, irSwitch: true });
    await central.expect(202, 'PATCH', '/devices/mx1/components/settings/properties', { fanSpeed: 35, voltage: 5, current: 2, irSwitch: true });
    const component = example(version, 'devices_properties_components_get');
    const { deviceId, componentName } = component.parameters as Record<string, string>;
    await expectExampleReplay(await host.call('GET', api(`/devices/${deviceId}/components/${componentName}/properties`)), component, 'Devices_GetComponentProperties', ['ackDescription']);

    // The example shows a device that reported read-only deviceinfo properties; simulated devices report only the
    // writable ones they acknowledged, so only its settings component is replayed (see F-compat.md).
    const all = example(version, 'devices_properties_get');
    const settingsOnly = { ...all, responses: { 200: { body: { settings: (all.responses[200]!.body as Json).settings } } } };
    const res = await host.call('GET', api(`/devices/${all.parameters.deviceId as string}/properties`));
    await expectExampleReplay(res, settingsOnly, 'Devices_GetProperties', ['fanSpeed', 'desiredValue', 'desiredVersion', 'lastUpdateTime']);
  });
});

describe.runIf(EXAMPLES_PRESENT).each(VERSIONS)('scheduled jobs examples (api-version %s)', (version) => {
  let host: TestHost;
  let central: CentralClient;
  const api = (path: string) => central.path(path);
  const instancesFinished = (id: string) => async () => {
    const instances = await central.walk(`/scheduledJobs/${id}/jobs`);
    return instances.length > 0 && instances.every(isFinishedJob);
  };
  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1 });
    central = new CentralClient(host, version);
    for (const template of SCHEDULE_TEMPLATES) await seed(central, template, rebootModel(), SCHEDULE_GROUP, [`device-${SCHEDULE_TEMPLATES.indexOf(template)}`]);
  });
  afterAll(() => host.stop());

  it('replays ScheduledJobs_Create, _Get, _Update and _Remove', async () => {
    const create = example(version, 'scheduledjobs_create');
    const { scheduledJobId } = create.parameters as Record<string, string>;
    // The example's answer names another template than its request; the emulator echoes what was sent.
    const res = await host.call('PUT', api(`/scheduledJobs/${scheduledJobId}`), create.parameters.body);
    const created = (await expectExampleReplay(res, create, 'ScheduledJobs_Create', ['target'])) as { data: Json[] };
    expect(created.data[0]!.target).toBe('dtmi:modelDefinition:test;1');

    const get = example(version, 'scheduledjobs_get');
    await expectExampleReplay(await host.call('GET', api(`/scheduledJobs/${scheduledJobId}`)), get, 'ScheduledJobs_Get', ['target']);

    // The schedule started in 2022, so its latest daily run is due at once; an update waits for that run to finish.
    await expect.poll(instancesFinished(scheduledJobId!), { message: 'the first instance finished' }).toBe(true);
    const update = example(version, 'scheduledjobs_update');
    const updated = await host.call('PATCH', api(`/scheduledJobs/${scheduledJobId}`), update.parameters.body);
    await expectExampleReplay(updated, update, 'ScheduledJobs_Update', ['target']);

    const remove = example(version, 'scheduledjobs_delete');
    await expectExampleReplay(await host.call('DELETE', api(`/scheduledJobs/${scheduledJobId}`)), remove, 'ScheduledJobs_Remove');
    await central.expect(404, 'GET', `/scheduledJobs/${scheduledJobId}`);
  });

  it('replays ScheduledJobs_List', async () => {
    const list = example(version, 'scheduledjobs_list');
    for (const { id, etag: _etag, completed: _completed, ...body } of (list.responses[200]!.body as { value: Json[] }).value) {
      await central.expect(200, 'PUT', `/scheduledJobs/${id as string}`, body);
    }
    // scheduledJob1 runs once, at a start that has passed, and is then completed.
    await expect.poll(async () => (await central.expect(200, 'GET', '/scheduledJobs/scheduledJob1')).completed, { message: 'scheduledJob1 completed' }).toBe(true);
    await expectExampleReplay(await host.call('GET', api('/scheduledJobs')), list, 'ScheduledJobs_List');
  });
});

describe.runIf(EXAMPLES_PRESENT).each(VERSIONS)('ScheduledJobs_ListJobs example (api-version %s)', (version) => {
  it('replays the instances of a daily schedule run in virtual time, newest first', async () => {
    const host = await startTestHost({ simulatorThreads: 1 });
    try {
      const central = new CentralClient(host, version);
      const listJobs = example(version, 'scheduledjobs_list_jobs');
      const expected = (listJobs.responses[200]!.body as { value: Json[] }).value;
      const template = SCHEDULE_TEMPLATES[1]!;
      const request = { '@type': 'CommandPayload', name: 'payload', schema: { '@type': 'Object', fields: [{ name: 'timeout', schema: 'integer' }, { name: 'id', schema: 'string' }] } };
      await seed(central, template, rebootModel(request), SCHEDULE_GROUP, ['reboot-1']);
      // The example's instances each failed on their one device.
      await setTemplateBehavior(host, template, { commandFailureRate: 1 });
      await setSimulation(host, { timeScale: 0 });
      const now = Date.parse(((await (await host.call('GET', '/_fleetlab/simulation')).json()) as { now: string }).now);
      const { id: _id, status: _status, progress: _progress, scheduledJobId: _sj, displayName: _name, ...definition } = expected[0]!;
      const scheduledJobId = listJobs.parameters.scheduledJobId as string;
      await central.expect(200, 'PUT', `/scheduledJobs/${scheduledJobId}`, {
        ...definition,
        displayName: 'first',
        schedule: { start: new Date(now + 3600_000).toISOString(), recurrence: 'daily' },
      });
      expect((await host.call('POST', '/_fleetlab/clock/advance', { ms: 2 * 24 * 3600_000 + 2 * 3600_000 })).status).toBe(200);
      await expect
        .poll(async () => {
          const instances = await central.walk(`/scheduledJobs/${scheduledJobId}/jobs`);
          return instances.length === 3 && instances.every(isFinishedJob);
        }, { message: 'three finished instances' })
        .toBe(true);
      const res = await host.call('GET', central.path(`/scheduledJobs/${scheduledJobId}/jobs`));
      const body = (await expectExampleReplay(res, listJobs, 'ScheduledJobs_ListJobs', ['id', 'displayName'])) as { value: Json[] };
      expect(body.value.map((job) => job.displayName)).toEqual(['first - 3', 'first - 2', 'first - 1']);
    } finally {
      await host.stop();
    }
  });
});
