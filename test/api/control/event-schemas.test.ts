import { CreateJobCommand } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamEvents, type JobProgressEvent, type JobsEvent } from '../../../electron/api/control/schema/events.js';
import { schemaErrors } from '../../helpers/control-schemas.js';
import { eventReader } from '../../helpers/event-stream.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { createFleet, iotClient, thingArn } from '../aws/aws-client.js';

const V = 'api-version=2022-07-31';
const TEMPLATE = 'dtmi:fleetlab:awsstream;1';
const GROUP = 'stream-sensors';

/** The UI's event stream, opened with the API token (the UI's EventSource sends its session cookie instead). */
async function openStream(host: TestHost, jobId?: string) {
  const res = await fetch(`${host.url}/_fleetlab/events${jobId === undefined ? '' : `?job=${jobId}`}`, { headers: { authorization: host.token } });
  expect(res.status).toBe(200);
  return eventReader(res);
}

describe('every GET /_fleetlab/events frame matches its event\'s schema', () => {
  let host: TestHost;
  let streams: ReturnType<typeof eventReader>[];

  beforeAll(async () => {
    host = await startTestHost();
    streams = [];
    await createFleet(host, 'stream', 20, TEMPLATE);
    const filter = `SELECT * FROM devices WHERE $template = "${TEMPLATE}"`;
    expect((await host.call('PUT', `/api/deviceGroups/${GROUP}?${V}`, { displayName: 'Sensors', filter })).status).toBe(200);
    // Real time with some latency, so the streams see jobs running, not only finished.
    const sim = await host.call('PUT', '/_fleetlab/simulation', { timeScale: 1, defaults: { latencyMs: { min: 20, max: 200 }, propertyFailureRate: 0.2, commandFailureRate: 0, offlineRate: 0 } });
    expect(sim.status).toBe(200);
  });
  afterAll(async () => {
    for (const stream of streams) await stream.cancel();
    await host.stop();
  });

  const follow = async (jobId?: string) => {
    const stream = await openStream(host, jobId);
    streams.push(stream);
    return stream;
  };

  it('streams an IoT Central job\'s summary and per-batch progress until it ends', async () => {
    const all = await follow();
    expect(await all.next('jobs')).toEqual([]);
    const data = [{ type: 'property', target: TEMPLATE, path: 'targetTemperature', value: 21 }];
    expect((await host.call('PUT', `/api/jobs/central-job?${V}`, { displayName: 'Central job', group: GROUP, batch: { type: 'number', value: 5 }, data })).status).toBe(200);

    const job = await follow('central-job');
    const last: JobProgressEvent = await job.next('job', (event: JobProgressEvent) => event.status === 'complete');
    expect(last).toMatchObject({ id: 'central-job', displayName: 'Central job', api: 'iotCentral', batchSize: 5, batchCount: 4, progress: { total: 20, pending: 0 } });
    expect(last).not.toHaveProperty('awsStatus');
    expect(last.batches.reduce((sum, batch) => sum + batch.failed, 0)).toBe(last.progress!.failed);
    const listed: JobsEvent = await all.next('jobs', (list: JobsEvent) => list.some((summary) => summary.id === 'central-job' && summary.status === 'complete'));
    expect(listed[0]).toMatchObject({ id: 'central-job', api: 'iotCentral', progress: last.progress });
  });

  it('streams an AWS IoT job with its AWS status', async () => {
    const targets = ['stream-1', 'stream-2', 'stream-3'].map(thingArn);
    await iotClient(host).send(new CreateJobCommand({ jobId: 'aws-job', targets, document: '{"operation":"reboot"}' }));
    const job = await follow('aws-job');
    const last: JobProgressEvent = await job.next('job', (event: JobProgressEvent) => event.awsStatus === 'COMPLETED');
    expect(last).toMatchObject({ id: 'aws-job', api: 'awsIot', status: 'complete', progress: { total: 3, completed: 3, failed: 0, pending: 0 } });
    const listed: JobsEvent = await streams[0]!.next('jobs', (list: JobsEvent) => list.some((summary) => summary.id === 'aws-job' && summary.awsStatus === 'COMPLETED'));
    expect(listed.map((summary) => [summary.id, summary.api])).toEqual([
      ['central-job', 'iotCentral'],
      ['aws-job', 'awsIot'],
    ]);
  });

  it('says a followed job is missing once the emulator is reset', async () => {
    expect((await host.call('POST', '/_fleetlab/reset')).status).toBe(204);
    expect(await streams.at(-1)!.next('missing')).toEqual({ id: 'aws-job' });
    expect(await streams[0]!.next('jobs', (list: JobsEvent) => list.length === 0)).toEqual([]);
  });

  it('sent nothing its schema does not describe', () => {
    const seen = streams.flatMap((stream) => stream.seen);
    const names = new Set(seen.map(({ event }) => event));
    expect([...names].sort()).toEqual(['job', 'jobs', 'missing']);
    // A running job's frames as well as finished ones, so the optional members were checked too.
    expect(seen.some(({ event, data }) => event === 'job' && (data as JobProgressEvent).status === 'running')).toBe(true);
    for (const { event, data } of seen) {
      expect(schemaErrors(StreamEvents[event as keyof typeof StreamEvents], data), `${event}: ${JSON.stringify(data).slice(0, 500)}`).toBeUndefined();
    }
  });
});
