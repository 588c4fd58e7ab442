import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventReader } from '../../helpers/event-stream.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { EXAMPLE_TEMPLATE, EXAMPLE_TEMPLATE_ID } from '../central/device-examples.js';

const V = 'api-version=2022-07-31';
const GROUP = 'all-sensors';
type Json = Record<string, any>;

async function json(res: Response | Promise<Response>): Promise<Json> {
  return (await (await res).json()) as Json;
}

async function waitForJob(host: TestHost, id: string, done: (job: Json) => boolean): Promise<Json> {
  return vi.waitFor(
    async () => {
      const job = await json(host.call('GET', `/api/jobs/${id}?${V}`));
      if (!done(job)) throw new Error(`job ${id} is still ${job.status}`);
      return job;
    },
    { timeout: 15_000, interval: 50 },
  );
}

const finished = (job: Json) => ['complete', 'cancelled', 'failed'].includes(job.status);

function propertyJob(displayName: string, batch?: Json): Json {
  return {
    displayName,
    group: GROUP,
    ...(batch && { batch }),
    data: [{ type: 'property', target: EXAMPLE_TEMPLATE_ID, path: 'targetTemperature', value: 21 }],
  };
}

describe('the job views under /_fleetlab', () => {
  let host: TestHost;
  let failedCount: number;

  beforeAll(async () => {
    host = await startTestHost();
    expect((await host.call('PUT', `/api/deviceTemplates/${EXAMPLE_TEMPLATE_ID}?${V}`, EXAMPLE_TEMPLATE)).status).toBe(200);
    expect((await host.call('POST', '/_fleetlab/fleet', { template: EXAMPLE_TEMPLATE_ID, count: 1000, idPrefix: 'sensor' })).status).toBe(201);
    const filter = `SELECT * FROM devices WHERE $template = "${EXAMPLE_TEMPLATE_ID}"`;
    expect((await host.call('PUT', `/api/deviceGroups/${GROUP}?${V}`, { displayName: 'All sensors', filter })).status).toBe(200);
    await host.call('PUT', '/_fleetlab/simulation', { timeScale: 0, seed: 7, defaults: { propertyFailureRate: 0.2, latencyMs: { min: 10, max: 50 } } });
    await host.call('PUT', `/api/jobs/done?${V}`, propertyJob('Done', { type: 'percentage', value: 10 }));
    const job = await waitForJob(host, 'done', finished);
    expect(job).toMatchObject({ status: 'complete', progress: { total: 1000 } });
    failedCount = job.progress.failed;
    expect(failedCount).toBeGreaterThan(100);
  });
  afterAll(() => host.stop());

  it('pages through a job\'s devices in the order of the IoT Central device list', async () => {
    const page = await json(host.call('GET', '/_fleetlab/jobs/done/devices?offset=995&limit=10'));
    expect(page.total).toBe(1000);
    expect(page.matched).toBe(1000);
    expect(page.devices.map((d: Json) => d.id)).toEqual(['sensor-996', 'sensor-997', 'sensor-998', 'sensor-999', 'sensor-1000']);
    const central = await json(host.call('GET', `/api/jobs/done/devices?api-version=2022-10-31-preview&maxpagesize=100`));
    const ours = await json(host.call('GET', '/_fleetlab/jobs/done/devices?limit=100'));
    expect(ours.devices.map(({ id, status }: Json) => ({ id, status }))).toEqual(central.value);
  });

  it('filters by status, with the reason for each failure', async () => {
    const failed = await json(host.call('GET', '/_fleetlab/jobs/done/devices?status=failed&limit=1000'));
    expect(failed.matched).toBe(failedCount);
    expect(failed.devices).toHaveLength(failedCount);
    for (const device of failed.devices) {
      expect(device.status).toBe('failed');
      expect(device.error).toMatch(/property update/);
    }
    const completed = await json(host.call('GET', '/_fleetlab/jobs/done/devices?status=completed&offset=10&limit=5'));
    expect(completed.matched).toBe(1000 - failedCount);
    expect(completed.devices.every((d: Json) => d.status === 'completed' && d.error === undefined)).toBe(true);
  });

  it('searches ids by substring and combines search with a status filter', async () => {
    const all = (await json(host.call('GET', '/_fleetlab/jobs/done/devices?limit=1000'))).devices as Json[];
    const expected = all.filter((d) => d.id.includes('-99'));
    const found = await json(host.call('GET', '/_fleetlab/jobs/done/devices?search=-99&limit=1000'));
    expect(found.devices).toEqual(expected);
    expect(found.matched).toBe(expected.length);
    const failedMatches = await json(host.call('GET', '/_fleetlab/jobs/done/devices?search=-99&status=failed'));
    expect(failedMatches.devices).toEqual(expected.filter((d) => d.status === 'failed'));
  });

  it('serves pages of up to 10,000 devices, for the UI\'s results CSV', async () => {
    const page = await json(host.call('GET', '/_fleetlab/jobs/done/devices?limit=10000'));
    expect(page.devices).toHaveLength(1000);
    expect((await host.call('GET', '/_fleetlab/jobs/done/devices?limit=100000')).status).toBe(400);
  });

  it('answers bad queries and unknown jobs in the error shape', async () => {
    const badStatus = await host.call('GET', '/_fleetlab/jobs/done/devices?status=broken');
    expect(badStatus.status).toBe(400);
    expect((await json(badStatus)).error.code).toBe('BadRequest');
    expect((await host.call('GET', '/_fleetlab/jobs/done/devices?limit=many')).status).toBe(400);
    const unknown = await host.call('GET', '/_fleetlab/jobs/nope/devices');
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.message).toBe('Job "nope" was not found.');
  });

  it('dry-runs a job: the group\'s device count and the batches it would have', async () => {
    expect(await json(host.call('POST', '/_fleetlab/jobs/dry-run', { group: GROUP, batch: { type: 'percentage', value: 15 } }))).toEqual({
      devices: 1000,
      batchSize: 150,
      batchCount: 7,
    });
    expect(await json(host.call('POST', '/_fleetlab/jobs/dry-run', { group: GROUP }))).toEqual({ devices: 1000, batchSize: 1000, batchCount: 1 });
    expect((await host.call('POST', '/_fleetlab/jobs/dry-run', { group: 'nope' })).status).toBe(404);
    const bad = await host.call('POST', '/_fleetlab/jobs/dry-run', { group: GROUP, batch: { type: 'number', value: 0 } });
    expect(bad.status).toBe(422);
    expect((await json(bad)).error.message).toBe('batch.value: must be > 0.');
  });

  it('lists a template\'s capabilities with the paths jobs name them by', async () => {
    const { value } = await json(host.call('GET', `/_fleetlab/templates/${EXAMPLE_TEMPLATE_ID}/capabilities`));
    expect(value).toContainEqual({ kind: 'property', name: 'fanSpeed', component: 'settings', path: 'settings.fanSpeed', schema: 'double', writable: true });
    expect(value).toContainEqual(expect.objectContaining({ kind: 'command', path: 'Thermostat_1o.CoolDown', writable: false }));
    expect((await host.call('GET', '/_fleetlab/templates/dtmi:nope;1/capabilities')).status).toBe(404);
  });

  it('names each capability by its DTDL display name, the first language of a localized one', async () => {
    const template = 'dtmi:fleetlab:views:named;1';
    const contents = [
      { '@type': 'Property', name: 'targetTemperature', displayName: 'Target temperature', schema: 'double', writable: true },
      { '@type': 'Command', name: 'reboot', displayName: { en: 'Reboot', de: 'Neustart' } },
      { '@type': 'Property', name: 'mode', schema: 'string', writable: true },
    ];
    const body = { '@type': ['ModelDefinition', 'DeviceModel'], displayName: 'Named', capabilityModel: { '@id': 'dtmi:fleetlab:views:namedModel;1', '@type': 'Interface', contents } };
    expect((await host.call('PUT', `/api/deviceTemplates/${template}?api-version=2022-07-31`, body)).status).toBe(200);
    const { value } = await json(host.call('GET', `/_fleetlab/templates/${template}/capabilities`));
    expect(value.map(({ path, displayName }: { path: string; displayName?: string }) => [path, displayName])).toEqual([
      ['targetTemperature', 'Target temperature'],
      ['reboot', 'Reboot'],
      ['mode', undefined],
    ]);
  });

  it('streams job summaries, and a subscribed job\'s per-batch progress, as Server-Sent Events', async () => {
    const res = await host.call('GET', '/_fleetlab/events?job=done');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = eventReader(res);
    try {
      const jobs = await events.next('jobs');
      expect(jobs).toContainEqual(expect.objectContaining({ id: 'done', displayName: 'Done', status: 'complete', progress: expect.objectContaining({ total: 1000, failed: failedCount }) }));
      const job = await events.next('job');
      expect(job).toMatchObject({ id: 'done', status: 'complete', batchSize: 100, batchCount: 10 });
      expect(job.batches).toHaveLength(10);
      expect(job.batches.reduce((sum: number, b: Json) => sum + b.failed, 0)).toBe(failedCount);
      expect(job.batches.every((b: Json) => b.completed + b.failed === 100 && b.pending === 0)).toBe(true);

      await host.call('PUT', `/api/jobs/later?${V}`, propertyJob('Later'));
      const updated = await events.next('jobs', (list: Json[]) => list.some((j) => j.id === 'later'));
      expect(updated.map((j: Json) => j.id)).toEqual(['done', 'later']);
    } finally {
      await events.cancel();
    }
    await waitForJob(host, 'later', finished);
  });

  it('reports live progress of a running job until it ends', async () => {
    await host.call('PUT', '/_fleetlab/simulation', { timeScale: 1, defaults: { latencyMs: { min: 100, max: 400 } } });
    await host.call('PUT', `/api/jobs/live?${V}`, propertyJob('Live', { type: 'number', value: 250 }));
    const events = eventReader(await host.call('GET', '/_fleetlab/events?job=live'));
    try {
      const seen: Json[] = [await events.next('job')];
      while (seen.at(-1)!.status !== 'complete') seen.push(await events.next('job'));
      expect(seen.length).toBeGreaterThan(2);
      expect(seen.some((e) => e.status === 'running' && e.batches.some((b: Json) => b.pending > 0))).toBe(true);
      expect(seen.at(-1)!.batches.every((b: Json) => b.pending === 0)).toBe(true);
    } finally {
      await events.cancel();
      await host.call('PUT', '/_fleetlab/simulation', { timeScale: 0 });
    }
  });

  it('names the job a rerun reruns in its summary, so the UI can link back to it', async () => {
    expect((await host.call('PUT', `/api/jobs/done/rerun/done-rerun?${V}`)).status).toBe(200);
    const events = eventReader(await host.call('GET', '/_fleetlab/events?job=done-rerun'));
    try {
      expect(await events.next('job')).toMatchObject({ id: 'done-rerun', rerunOf: 'done' });
      const jobs = await events.next('jobs');
      expect(jobs.find((j: Json) => j.id === 'done')).not.toHaveProperty('rerunOf');
    } finally {
      await events.cancel();
    }
    await waitForJob(host, 'done-rerun', finished);
  });

  it('refuses an unknown job and a caller without a token', async () => {
    const unknown = await host.call('GET', '/_fleetlab/events?job=nope');
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.code).toBe('NotFound');
    const anonymous = await fetch(`${host.url}/_fleetlab/events`);
    expect(anonymous.status).toBe(401);
  });
});

describe('closing the host', () => {
  it('ends open event streams instead of waiting for them', async () => {
    const host = await startTestHost();
    const res = await host.call('GET', '/_fleetlab/events');
    const events = eventReader(res);
    expect(await events.next('jobs')).toEqual([]);
    await host.stop();
    await expect(events.next('never')).rejects.toThrow('the stream ended');
  });
});
