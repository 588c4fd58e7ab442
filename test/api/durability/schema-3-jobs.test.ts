import { CancelJobCommand, DescribeJobCommand, ListJobsCommand, type IoTClient } from '@aws-sdk/client-iot';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { expectMatchesSpec } from '../../helpers/spec.js';
import { iotClient, thingArn, useVirtualTime } from '../aws/aws-client.js';
import { CentralClient, HOWTO_GROUP, seedThermostats, THERMOSTAT_ID, type Json } from '../central/job-fixtures.js';

const VERSION = '2022-07-31';
const START = '2099-01-01T00:00';
const END = '2099-01-02T00:00';
const setpoint = (typeAsSent: string) => ({ type: 'property', typeAsSent, target: THERMOSTAT_ID, path: 'targetTemperature', value: 21, deviceValue: 21 });

/** A data file as Fleetlab wrote it at schema 3: job definitions in both APIs' spellings, with a `dialect` flag. */
const SCHEMA_3 = {
  schemaVersion: 3,
  jobs: {
    'legacy-central': {
      id: 'legacy-central',
      seq: 1,
      definition: {
        displayName: 'Legacy setpoint',
        group: HOWTO_GROUP,
        batch: { type: 'number', value: 1 },
        cancellationThreshold: { type: 'percentage', value: 50, batch: true },
        data: [setpoint('PropertyJobData')],
      },
      status: 'stopped',
      completed: 0,
      failed: 0,
    },
    'legacy-aws': {
      id: 'legacy-aws',
      seq: 2,
      definition: {
        displayName: 'legacy-aws',
        dialect: 'aws',
        group: '',
        data: [{ type: 'document', typeAsSent: 'document' }],
        rollout: { maximumPerMinute: 5 },
        notBefore: Date.parse(`${START}Z`),
        endAt: { at: Date.parse(`${END}Z`), behavior: 'CANCEL' },
      },
      status: 'pending',
      completed: 0,
      failed: 0,
      explicitTargets: [{ ids: ['therm-01', 'therm-02'] }],
    },
    'nightly-1': {
      id: 'nightly-1',
      seq: 3,
      definition: { displayName: 'Nightly - 1', scheduledJobId: 'nightly', group: 'gone', data: [setpoint('property')] },
      status: 'failed',
      failure: 'Device group "gone" was not found.',
      start: Date.parse('2026-11-30T02:00:00Z'),
      end: Date.parse('2026-11-30T02:00:00Z'),
      completed: 0,
      failed: 0,
    },
  },
  scheduledJobs: {
    nightly: {
      id: 'nightly',
      etag: '"legacy-etag"',
      definition: { displayName: 'Nightly', group: HOWTO_GROUP, data: [setpoint('property')] },
      schedule: { start: '2099-03-01T02:00:00.000Z', recurrence: 'weekly' },
      enabled: false,
      completed: false,
      runs: 1,
    },
  },
  awsJobs: {
    'legacy-aws': {
      jobId: 'legacy-aws',
      targets: [thingArn('therm-01'), thingArn('therm-02')],
      thingGroups: [],
      targetSelection: 'SNAPSHOT',
      document: '{"operation":"reboot"}',
      settings: { jobExecutionsRolloutConfig: { maximumPerMinute: 5 }, schedulingConfig: { startTime: START, endTime: END, endBehavior: 'CANCEL' } },
      createdAt: Date.parse('2026-11-30T01:00:00Z'),
      lastUpdatedAt: Date.parse('2026-11-30T01:00:00Z'),
    },
  },
};

describe('a schema 3 data dir', () => {
  let dataDir: string;
  let host: TestHost;
  let central: CentralClient;
  let iot: IoTClient;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-schema-3-'));
    await writeFile(path.join(dataDir, 'fleetlab.json'), JSON.stringify(SCHEMA_3));
    host = await startTestHost({ dataDir, simulatorThreads: 1 });
    central = new CentralClient(host, VERSION);
    iot = iotClient(host);
    await seedThermostats(central);
    await useVirtualTime(host);
  });
  afterAll(async () => {
    await host.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps its IoT Central jobs as their clients sent them, and lists only those in IoT Central', async () => {
    const job = await central.job('legacy-central');
    expect(job).toEqual({
      id: 'legacy-central',
      displayName: 'Legacy setpoint',
      group: HOWTO_GROUP,
      batch: { type: 'number', value: 1 },
      cancellationThreshold: { type: 'percentage', value: 50, batch: true },
      data: [{ type: 'PropertyJobData', target: THERMOSTAT_ID, path: 'targetTemperature', value: 21 }],
      status: 'stopped',
    });
    expectMatchesSpec(VERSION, 'Jobs_Get', 200, job);
    const listed = await central.expect<{ value: Json[] }>(200, 'GET', '/jobs');
    expect(listed.value.map((entry) => entry.id)).toEqual(['nightly-1', 'legacy-central']);
    await central.expect(404, 'GET', '/jobs/legacy-aws');
  });

  it('keeps its scheduled job and the instance it ran', async () => {
    const scheduled = await central.expect(200, 'GET', '/scheduledJobs/nightly');
    expect(scheduled).toMatchObject({
      id: 'nightly',
      displayName: 'Nightly',
      group: HOWTO_GROUP,
      data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 21 }],
      enabled: false,
      etag: '"legacy-etag"',
    });
    const instances = await central.expect<{ value: Json[] }>(200, 'GET', '/scheduledJobs/nightly/jobs');
    expect(instances.value).toEqual([expect.objectContaining({ id: 'nightly-1', scheduledJobId: 'nightly', displayName: 'Nightly - 1', status: 'failed' })]);
  });

  it('resumes a stopped IoT Central job, which runs in its batches on the group it was made for', async () => {
    await central.expect(204, 'POST', '/jobs/legacy-central/resume');
    const done = await central.waitForJob('legacy-central');
    expect(done).toMatchObject({ status: 'complete', progress: { total: 4, completed: 4, failed: 0, pending: 0 } });
  });

  it('keeps its AWS job with its configuration, still scheduled, and cancels it', async () => {
    const { job } = await iot.send(new DescribeJobCommand({ jobId: 'legacy-aws' }));
    expect(job).toMatchObject({
      jobId: 'legacy-aws',
      status: 'SCHEDULED',
      targets: [thingArn('therm-01'), thingArn('therm-02')],
      jobExecutionsRolloutConfig: { maximumPerMinute: 5 },
      schedulingConfig: { startTime: START, endTime: END, endBehavior: 'CANCEL' },
      jobProcessDetails: expect.objectContaining({ numberOfQueuedThings: 2 }),
    });
    const { jobs } = await iot.send(new ListJobsCommand({}));
    expect(jobs?.map((listed) => listed.jobId)).toEqual(['legacy-aws']);
    await iot.send(new CancelJobCommand({ jobId: 'legacy-aws' }));
    expect((await iot.send(new DescribeJobCommand({ jobId: 'legacy-aws' }))).job?.status).toBe('CANCELED');
  });
});
