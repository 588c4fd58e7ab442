import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { api, createJob, expectJson, jobBody, pollJob, seedFleet } from '../../helpers/engine-fleet.js';

interface Listing {
  value: { id: string; status?: string }[];
  nextLink?: string;
}

describe('reset and snapshots of the whole emulator state', () => {
  let host: TestHost;
  const call = (method: string, path: string, body?: unknown) => host.call(method, path, body);

  async function everything(): Promise<Record<string, unknown>> {
    const list = async (path: string) => (await expectJson<Listing>(await call('GET', api(path)), 200)).value;
    const jobDevices = async (id: string) => (await expectJson<Listing>(await call('GET', api(`/api/jobs/${id}/devices?maxpagesize=100`)), 200)).value;
    const jobs = await list('/api/jobs');
    return {
      templates: (await list('/api/deviceTemplates')).map((t) => t.id ?? (t as Record<string, unknown>)['@id']),
      devices: await expectJson(await call('GET', '/_fleetlab/fleet'), 200),
      groups: await list('/api/deviceGroups'),
      jobs,
      jobDevices: await Promise.all(jobs.map((job) => jobDevices(job.id))),
      simulation: (({ now: _now, ...rest }) => rest)(await expectJson<Record<string, unknown>>(await call('GET', '/_fleetlab/simulation'), 200)),
    };
  }

  beforeAll(async () => {
    host = await startTestHost();
    await seedFleet(call, { count: 50, prefix: 'kept', seed: 7, timeScale: 0, behavior: { propertyFailureRate: 0.3 } });
    await createJob(call, 'kept-job', jobBody('kept'));
    await pollJob(call, 'kept-job');
  });
  afterAll(() => host.stop());

  it('exports everything, empties on reset with tokens kept, and imports the export back identically', async () => {
    const before = await everything();
    const snapshot = await expectJson<Record<string, unknown>>(await call('GET', '/_fleetlab/snapshot'), 200);
    expect(snapshot.format).toBe('fleetlab-snapshot');

    expect((await call('POST', '/_fleetlab/reset')).status).toBe(204);
    const emptied = await everything();
    expect(emptied.jobs).toEqual([]);
    expect(emptied.groups).toEqual([]);
    expect(emptied.templates).toEqual([]);
    expect((emptied.devices as { total: number }).total).toBe(0);
    // The simulation profile is back to its defaults, and the clock runs at its time scale again.
    expect(emptied.simulation).toMatchObject({ seed: 1, timeScale: 1 });

    expect((await call('PUT', '/_fleetlab/snapshot', snapshot)).status).toBe(204);
    expect(await everything()).toEqual(before);
    const failed = ((before.jobDevices as { status: string }[][])[0] ?? []).filter((d) => d.status === 'failed').length;
    expect(failed).toBeGreaterThan(0);
  });

  it('refuses a file that is not a snapshot with a 422 and changes nothing', async () => {
    const before = await everything();
    for (const body of [{ format: 'something-else' }, { format: 'fleetlab-snapshot', schemaVersion: 1, data: {}, jobFiles: {} }, '[1,2']) {
      const res = await call('PUT', '/_fleetlab/snapshot', body);
      expect([400, 422]).toContain(res.status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(/BadRequest|UnprocessableEntity/);
    }
    expect(await everything()).toEqual(before);
  });

  it('refuses a snapshot from a newer Fleetlab', async () => {
    const snapshot = await expectJson<Record<string, unknown>>(await call('GET', '/_fleetlab/snapshot'), 200);
    const res = await call('PUT', '/_fleetlab/snapshot', { ...snapshot, schemaVersion: 99 });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/newer Fleetlab/);
  });

  it('refuses a snapshot whose job the engine could not run or whose job files name no devices, and changes nothing', async () => {
    const before = await everything();
    const snapshot = await expectJson<{ data: { jobs: Record<string, Record<string, unknown>> }; jobFiles: Record<string, { targets: unknown[] }> }>(await call('GET', '/_fleetlab/snapshot'), 200);
    const job = snapshot.data.jobs['kept-job']!;
    const broken = [
      { ...snapshot, data: { ...snapshot.data, jobs: { 'kept-job': { ...job, spec: [1, 2] } } } },
      { ...snapshot, data: { ...snapshot.data, jobs: { 'kept-job': { ...job, spec: { ...(job.spec as object), operations: [] } } } } },
      { ...snapshot, data: { ...snapshot.data, jobs: { 'kept-job': { ...job, status: 'exploded' } } } },
      { ...snapshot, jobFiles: { 'kept-job': { ...snapshot.jobFiles['kept-job']!, targets: ['not-a-slice'] } } },
    ];
    for (const body of broken) {
      const res = await call('PUT', '/_fleetlab/snapshot', body);
      expect(res.status, await res.clone().text()).toBe(422);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/kept-job|targets/);
    }
    expect(await everything()).toEqual(before);
  });

  it('refuses a snapshot whose AWS job the AWS APIs could not show, and changes nothing', async () => {
    const before = await everything();
    const snapshot = await expectJson<{ data: Record<string, unknown> }>(await call('GET', '/_fleetlab/snapshot'), 200);
    const awsJob = { jobId: 'imported-aws', targets: [], thingGroups: [], targetSelection: 'SNAPSHOT', document: '{}', settings: {}, createdAt: 0, lastUpdatedAt: 0 };
    for (const broken of [{ createdAt: 'yesterday' }, { targets: 'all' }, { settings: [] }, { targetSelection: 'SOMETIMES' }]) {
      const res = await call('PUT', '/_fleetlab/snapshot', { ...snapshot, data: { ...snapshot.data, awsJobs: { 'imported-aws': { ...awsJob, ...broken } } } });
      expect(res.status, await res.clone().text()).toBe(422);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain('data.awsJobs["imported-aws"]');
    }
    expect(await everything()).toEqual(before);
  });

  it('refuses a snapshot with a record of any other collection broken inside, naming its path, and changes nothing', async () => {
    const snapshot = await expectJson<{ data: Record<string, unknown> }>(await call('GET', '/_fleetlab/snapshot'), 200);
    const before = { state: await everything(), data: snapshot.data };
    const certificateId = 'a'.repeat(64);
    const valid: Record<string, Record<string, Record<string, unknown>>> = {
      devices: { 'imported-device': { id: 'imported-device', etag: 'e1', displayName: 'Imported', enabled: true, simulated: true } },
      deviceTwins: { 'imported-device': { properties: { setpoint: { desiredValue: 21, desiredVersion: 1, lastUpdateTime: '2026-12-01T00:00:00.000Z' } }, commands: {} } },
      scheduledJobs: {
        nightly: {
          id: 'nightly',
          etag: 'e2',
          spec: { targets: { kind: 'group', group: 'all' }, operations: [{ kind: 'property', path: 'setpoint', value: 20 }], release: { kind: 'batches' } },
          echo: { group: 'all', data: [{ type: 'PropertyJobData', target: 'dtmi:example:thermostat;1', path: 'setpoint', value: 20 }] },
          schedule: { start: '2030-01-01T00:00:00.000Z', recurrence: 'daily', end: { type: 'date', date: '2031-01-01' } },
          enabled: false,
          completed: false,
          runs: 0,
        },
      },
      thingGroups: { racks: { name: 'racks', id: 'g-1', createdAt: 0, version: 1 } },
      certificates: { [certificateId]: { id: certificateId, pem: 'PEM', status: 'ACTIVE', createdAt: 0, lastModifiedAt: 0, customerVersion: 1, generationId: 'g', notBefore: 0, notAfter: 1, things: [] } },
    };
    const broken: [collection: string, id: string, change: Record<string, unknown>, path: string][] = [
      ['devices', 'imported-device', { enabled: 'yes' }, 'data.devices.imported-device.enabled'],
      ['deviceTwins', 'imported-device', { properties: { setpoint: { desiredValue: 21, desiredVersion: 'one', lastUpdateTime: 'now' } } }, 'data.deviceTwins.imported-device.properties.setpoint.desiredVersion'],
      ['scheduledJobs', 'nightly', { schedule: { start: 'tomorrow' } }, 'data.scheduledJobs.nightly.schedule.start'],
      // A next run past the last date JavaScript has made the next-runs read answer 500.
      ['scheduledJobs', 'nightly', { nextRun: 4.5e25 }, 'data.scheduledJobs.nightly.nextRun'],
      ['thingGroups', 'racks', { createdAt: 'today' }, 'data.thingGroups.racks.createdAt'],
      ['certificates', certificateId, { things: [{ name: 'thing-1' }] }, `data.certificates.${certificateId}.things.0`],
    ];
    for (const [collection, id, change, path] of broken) {
      const records = { [id]: { ...valid[collection]![id], ...change } };
      const res = await call('PUT', '/_fleetlab/snapshot', { ...snapshot, data: { ...snapshot.data, [collection]: records } });
      expect(res.status, await res.clone().text()).toBe(422);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(path);
    }
    // Thing groups that are each other's parent made every walk of a group's descendants endless (a 500 on reads).
    const group = (name: string, parent: string) => ({ name, id: `id-${name}`, createdAt: 0, version: 1, parent });
    const cycle = await call('PUT', '/_fleetlab/snapshot', { ...snapshot, data: { ...snapshot.data, thingGroups: { racks: group('racks', 'rows'), rows: group('rows', 'racks') } } });
    expect(cycle.status, await cycle.clone().text()).toBe(422);
    expect(((await cycle.json()) as { error: { message: string } }).error.message).toMatch(/data\.thingGroups\["(racks|rows)"\] is its own ancestor/);
    expect(await everything()).toEqual(before.state);
    expect((await expectJson<{ data: unknown }>(await call('GET', '/_fleetlab/snapshot'), 200)).data).toEqual(before.data);

    // The same records unbroken import, and every read of them answers.
    expect((await call('PUT', '/_fleetlab/snapshot', { ...snapshot, data: { ...snapshot.data, ...valid } })).status).toBe(204);
    for (const read of ['/_fleetlab/devices', api('/api/scheduledJobs'), '/_fleetlab/aws/thing-groups', '/_fleetlab/scheduled-jobs/next-runs']) {
      expect((await call('GET', read)).status, read).toBe(200);
    }
    expect((await call('PUT', '/_fleetlab/snapshot', snapshot)).status).toBe(204);
  });
});
