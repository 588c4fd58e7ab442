import { CreateJobCommand, type IoTClient } from '@aws-sdk/client-iot';
import { mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, expectJson, seedFleet } from '../../helpers/engine-fleet.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { iotClient } from '../aws/aws-client.js';

/** Ids that would name a path outside `<data-dir>/jobs/<id>/` if they reached the file system as they are. */
const ATTEMPTS = ['..', '../../escaped', '..%2f..%2fescaped', '%2e%2e', '/tmp/escaped', '..\\..\\escaped', 'nul\u0000byte', 'x'.repeat(300), 'a/b'];

const jobRecord = (id: string) => ({
  id,
  seq: 1,
  status: 'complete',
  total: 1,
  completed: 1,
  failed: 0,
  definition: { group: 'field', data: [{ type: 'property', typeAsSent: 'property', target: 'dtmi:fleetlab:engineTest;1', path: 'targetTemperature', value: 1 }] },
});

describe('ids that try to leave the data dir', () => {
  let host: TestHost;
  let iot: IoTClient;
  let parent: string;
  let before: string[];

  beforeAll(async () => {
    // The data dir two levels down, so that "../../escaped" from jobs/ would land in `parent`.
    parent = await mkdtemp(path.join(tmpdir(), 'fleetlab-traversal-'));
    const dataDir = path.join(parent, 'data');
    await mkdir(dataDir);
    host = await startTestHost({ dataDir });
    iot = iotClient(host);
    await seedFleet(host.call, { count: 5, prefix: 'field', timeScale: 0 });
    before = await readdir(parent);
  });
  afterAll(() => host.stop());

  it.each(ATTEMPTS)('refuses %j as a job id on every surface, and in a snapshot, with a 4xx', async (id) => {
    const encoded = encodeURIComponent(id);
    const central = await host.call('PUT', api(`/api/jobs/${encoded}`), {
      displayName: 'escape',
      group: 'field',
      data: [{ type: 'property', target: 'dtmi:fleetlab:engineTest;1', path: 'targetTemperature', value: 1 }],
    });
    expect(central.status, await central.clone().text()).toBeGreaterThanOrEqual(400);
    expect(central.status).toBeLessThan(500);

    const rerun = await host.call('PUT', api(`/api/jobs/field-job/rerun/${encoded}`));
    expect(rerun.status).toBeGreaterThanOrEqual(400);
    expect(rerun.status).toBeLessThan(500);

    const aws = await iot.send(new CreateJobCommand({ jobId: id, targets: ['arn:aws:iot:us-east-1:123456789012:thing/field-1'], document: '{}' })).then(
      () => 200,
      (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode ?? 0,
    );
    expect(aws).toBeGreaterThanOrEqual(400);
    expect(aws).toBeLessThan(500);

    const snapshot = await expectJson<{ data: Record<string, unknown> }>(await host.call('GET', '/_fleetlab/snapshot'), 200);
    const files = { targets: [{ ids: ['field-1'] }], status: Buffer.from([1]).toString('base64') };
    for (const poisoned of [
      { ...snapshot, jobFiles: { [id]: files } },
      { ...snapshot, data: { ...snapshot.data, jobs: { [id]: jobRecord(id) } }, jobFiles: { [id]: files } },
    ]) {
      const imported = await host.call('PUT', '/_fleetlab/snapshot', poisoned);
      expect(imported.status, await imported.clone().text()).toBeGreaterThanOrEqual(400);
      expect(imported.status).toBeLessThan(500);
    }
  });

  it('wrote nothing outside the data dir, and only job folders of valid ids inside jobs/', async () => {
    expect(await readdir(parent)).toEqual(before);
    const jobs = await readdir(path.join(host.dataDir, 'jobs')).catch(() => []);
    for (const name of jobs) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,255}$/);
  });
});
