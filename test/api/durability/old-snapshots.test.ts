import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, expectJson } from '../../helpers/engine-fleet.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';

type Json = Record<string, unknown>;

/** A scheduled job as schema 3 and older kept it: one `definition` in the client's spelling (migrations/job-specs.ts). */
const LEGACY_SCHEDULED_JOB = {
  id: 'nightly',
  etag: '"legacy-etag"',
  definition: { displayName: 'Nightly', group: 'all', data: [{ type: 'property', typeAsSent: 'PropertyJobData', target: 'dtmi:example:thermostat;1', path: 'setpoint', value: 21 }] },
  schedule: { start: '2099-03-01T02:00:00.000Z', recurrence: 'weekly' },
  enabled: false,
  completed: false,
  runs: 0,
};
const DEVICE = { id: 'therm-01', etag: 'e1', displayName: 'Thermostat 1', enabled: true, simulated: true };
const GROUP = { name: 'racks', id: 'group-1', createdAt: 0, version: 1 };

/** An export of schema `version`, in the shapes it had: each migration's input (domain/persisted.ts). */
function snapshotOf(version: number, current: { data: Json }): Json {
  const { centralJobs: _echoes, thingGroupMembers: _members, schemaVersion: _version, ...collections } = current.data;
  return {
    format: 'fleetlab-snapshot',
    schemaVersion: version,
    exportedAt: '2026-11-01T00:00:00.000Z',
    data: {
      ...collections,
      schemaVersion: version,
      devices: { 'therm-01': DEVICE },
      scheduledJobs: { nightly: LEGACY_SCHEDULED_JOB },
      // Schema 2 and older listed a group's members in it; schema 1 listed deleted fleet devices.
      thingGroups: { racks: { ...GROUP, ...(version <= 2 && { things: ['therm-01'] }) } },
      ...(version === 3 && { thingGroupMembers: { 'racks/therm-01': { group: 'racks', thing: 'therm-01' } } }),
      deletedFleetDevices: version === 1 ? ['gone-1'] : { 'gone-1': { id: 'gone-1' } },
    },
    jobFiles: {},
  };
}

describe('snapshots exported by every earlier schema version', () => {
  let host: TestHost;
  let current: { data: Json };

  beforeAll(async () => {
    host = await startTestHost();
    current = await expectJson<{ data: Json }>(await host.call('GET', '/_fleetlab/snapshot'), 200);
  });
  afterAll(() => host.stop());

  it.each([1, 2, 3])('import from schema %i with their scheduled job, thing group members and device kept', async (version) => {
    const res = await host.call('PUT', '/_fleetlab/snapshot', snapshotOf(version, current));
    expect(res.status, await res.clone().text()).toBe(204);

    const scheduled = await expectJson<Json>(await host.call('GET', api('/api/scheduledJobs/nightly')), 200);
    expect(scheduled).toMatchObject({ id: 'nightly', displayName: 'Nightly', group: 'all', enabled: false });
    const exported = await expectJson<{ data: Json }>(await host.call('GET', '/_fleetlab/snapshot'), 200);
    expect(exported.data.thingGroupMembers).toEqual({ 'racks/therm-01': { group: 'racks', thing: 'therm-01' } });
    expect(exported.data.deletedFleetDevices).toEqual({ 'gone-1': { id: 'gone-1' } });
    expect((await host.call('GET', '/_fleetlab/devices')).status).toBe(200);
    expect((await host.call('GET', '/_fleetlab/aws/thing-groups')).status).toBe(200);
  });
});
