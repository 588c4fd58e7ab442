import { AddThingToThingGroupCommand, CreateThingGroupCommand, DescribeJobCommand, type IoTClient } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventReader } from '../../helpers/event-stream.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { createFleet, iotClient } from '../aws/aws-client.js';

type Json = Record<string, any>;

const DOCUMENT = '{"operation":"reboot"}';
/** 5 a minute, doubled each time 5 more were notified, up to 20 a minute. */
const RAMP = {
  maximumPerMinute: 20,
  exponentialRate: { baseRatePerMinute: 5, incrementFactor: 2, rateIncreaseCriteria: { numberOfNotifiedThings: 5 } },
};

async function json(res: Response | Promise<Response>): Promise<Json> {
  return (await (await res).json()) as Json;
}

async function waitForStatus(host: TestHost, jobId: string, status: string): Promise<Json> {
  return vi.waitFor(
    async () => {
      const job = await json(host.call('GET', `/_fleetlab/aws/jobs/${jobId}`));
      if (job.status !== status) throw new Error(`AWS job ${jobId} is still ${job.status}`);
      return job;
    },
    { timeout: 15_000, interval: 50 },
  );
}

/** The first `jobs` event of the UI's event stream. */
async function firstJobsEvent(host: TestHost): Promise<Json[]> {
  const events = eventReader(await fetch(`${host.url}/_fleetlab/events`, { headers: { authorization: host.token } }));
  try {
    return (await events.next('jobs')) as Json[];
  } finally {
    await events.cancel();
  }
}

async function groupThings(iot: IoTClient, group: string, things: string[], parent?: string): Promise<void> {
  await iot.send(new CreateThingGroupCommand({ thingGroupName: group, ...(parent && { parentGroupName: parent }) }));
  for (const thing of things) await iot.send(new AddThingToThingGroupCommand({ thingGroupName: group, thingName: thing }));
}

describe('AWS IoT jobs through the control API (what the UI uses)', () => {
  let host: TestHost;
  let iot: IoTClient;
  let things: string[];

  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    things = await createFleet(host, 'valve', 60);
    await groupThings(iot, 'valves', things.slice(0, 40));
    await groupThings(iot, 'valves-north', things.slice(40), 'valves');
    const sim = await host.call('PUT', '/_fleetlab/simulation', { timeScale: 0, seed: 3, defaults: { commandFailureRate: 0, offlineRate: 0 } });
    expect(sim.status).toBe(200);
  });
  afterAll(() => host.stop());

  it('lists thing groups with the things they reach, child groups included', async () => {
    const { value } = await json(host.call('GET', '/_fleetlab/aws/thing-groups'));
    expect(value.map(({ name, things: count }: Json) => ({ name, count }))).toEqual([
      { name: 'valves', count: 60 },
      { name: 'valves-north', count: 20 },
    ]);
  });

  it('dry-runs an exponential rollout into devices notified per minute until all are notified', async () => {
    const curve = await json(host.call('POST', '/_fleetlab/aws/jobs/dry-run', { thingGroupNames: ['valves'], jobExecutionsRolloutConfig: RAMP }));
    expect(curve).toEqual({ things: 60, minutes: 5, bucketMinutes: 1, buckets: [5, 10, 20, 20, 5] });

    const flat = await json(host.call('POST', '/_fleetlab/aws/jobs/dry-run', { thingGroupNames: ['valves-north'], thingNames: ['valve-1'] }));
    expect(flat).toEqual({ things: 21, minutes: 1, bucketMinutes: 1, buckets: [21] });
  });

  it('sums a long rollout into buckets of several minutes', async () => {
    const curve = await json(host.call('POST', '/_fleetlab/aws/jobs/dry-run', { thingGroupNames: ['valves'], jobExecutionsRolloutConfig: { maximumPerMinute: 1 } }));
    expect(curve.minutes).toBe(60);
    expect(curve.buckets.reduce((a: number, b: number) => a + b, 0)).toBe(60);
    expect(curve.buckets.length).toBeLessThanOrEqual(60);
  });

  it('creates a job that runs as its dry run said, with AWS execution statuses and the same counts as DescribeJob', async () => {
    const created = await host.call('POST', '/_fleetlab/aws/jobs', {
      jobId: 'ui-ramp',
      description: 'Reboot the valves',
      thingGroupNames: ['valves'],
      document: DOCUMENT,
      jobExecutionsRolloutConfig: RAMP,
      timeoutConfig: { inProgressTimeoutInMinutes: 30 },
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ jobId: 'ui-ramp', targetSelection: 'SNAPSHOT', description: 'Reboot the valves' });

    const job = await waitForStatus(host, 'ui-ramp', 'COMPLETED');
    expect(job).toMatchObject({
      targets: ['arn:aws:iot:us-east-1:123456789012:thinggroup/valves'],
      document: DOCUMENT,
      jobExecutionsRolloutConfig: RAMP,
      timeoutConfig: { inProgressTimeoutInMinutes: 30 },
      jobProcessDetails: { SUCCEEDED: 60, QUEUED: 0, IN_PROGRESS: 0, FAILED: 0 },
    });
    const described = await iot.send(new DescribeJobCommand({ jobId: 'ui-ramp' }));
    expect(described.job?.status).toBe('COMPLETED');
    expect(described.job?.jobProcessDetails?.numberOfSucceededThings).toBe(job.jobProcessDetails.SUCCEEDED);

    const { executions, matched, total } = await json(host.call('GET', '/_fleetlab/aws/jobs/ui-ramp/executions?limit=1000'));
    expect({ matched, total }).toEqual({ matched: 60, total: 60 });
    const starts = executions.map((execution: Json) => Date.parse(execution.startedAt));
    const first = Math.min(...starts);
    const perMinute: number[] = [];
    for (const at of starts) perMinute[Math.floor((at - first) / 60_000)] = (perMinute[Math.floor((at - first) / 60_000)] ?? 0) + 1;
    expect(perMinute).toEqual([5, 10, 20, 20, 5]);
  });

  it('pages executions filtered by status and thing name', async () => {
    const succeeded = await json(host.call('GET', '/_fleetlab/aws/jobs/ui-ramp/executions?status=SUCCEEDED&offset=50&limit=20'));
    expect(succeeded.matched).toBe(60);
    expect(succeeded.executions).toHaveLength(10);
    const queued = await json(host.call('GET', '/_fleetlab/aws/jobs/ui-ramp/executions?status=QUEUED'));
    expect(queued).toMatchObject({ matched: 0, executions: [] });

    const search = await json(host.call('GET', '/_fleetlab/aws/jobs/ui-ramp/executions?search=VALVE-1&limit=5'));
    expect(search.matched).toBe(11); // valve-1 and valve-10 … valve-19
    expect(search.executions.map((execution: Json) => execution.thingName)).toEqual(['valve-1', 'valve-10', 'valve-11', 'valve-12', 'valve-13']);
    expect(search.executions[0]).toMatchObject({ status: 'SUCCEEDED', versionNumber: 3, retryAttempt: 0 });

    expect((await host.call('GET', '/_fleetlab/aws/jobs/ui-ramp/executions?status=DONE')).status).toBe(400);
    expect((await host.call('GET', '/_fleetlab/aws/jobs/ui-ramp/executions?limit=0')).status).toBe(400);
  });

  it('says in the UI event stream that the AWS IoT API created the job, with its AWS status', async () => {
    const summaries = await firstJobsEvent(host);
    expect(summaries.find((summary) => summary.id === 'ui-ramp')).toMatchObject({ api: 'awsIot', awsStatus: 'COMPLETED', status: 'complete' });
  });

  it('refuses bad input with a 4xx naming the field', async () => {
    const create = (body: Json) => host.call('POST', '/_fleetlab/aws/jobs', { jobId: 'bad', document: DOCUMENT, thingGroupNames: ['valves'], ...body });
    const expectRefusal = async (res: Promise<Response>, status: number, text: RegExp) => {
      const answer = await res;
      expect(answer.status).toBe(status);
      expect(((await answer.json()) as Json).error.message).toMatch(text);
    };
    await expectRefusal(create({ jobExecutionsRolloutConfig: { exponentialRate: { ...RAMP.exponentialRate, incrementFactor: 0.5 } } }), 422, /^jobExecutionsRolloutConfig\.exponentialRate\.incrementFactor: /);
    await expectRefusal(create({ jobExecutionsRolloutConfig: { maximumPerMinute: 0 } }), 422, /^jobExecutionsRolloutConfig\.maximumPerMinute: /);
    await expectRefusal(create({ thingGroupNames: [] }), 422, /^thingGroupNames: choose at least one/);
    await expectRefusal(create({ document: '{not json' }), 422, /^document: is not valid JSON/);
    await expectRefusal(create({ jobId: 'has space' }), 422, /^jobId: /);
    await expectRefusal(create({ thingGroupNames: ['nowhere'] }), 404, /Thing group "nowhere"/);
    await expectRefusal(create({ jobId: 'ui-ramp' }), 409, /already exists/);
    await expectRefusal(create({ schedulingConfig: { startTime: '2030-01-01T10:00', endTime: '2030-01-01T09:00' } }), 422, /endTime must be later/);
    await expectRefusal(create({ rollout: {} }), 422, /^rollout: is not a known field/);
    await expectRefusal(host.call('POST', '/_fleetlab/aws/jobs/dry-run', { thingNames: ['no-such-valve'] }), 404, /Thing "no-such-valve"/);
    await expectRefusal(host.call('GET', '/_fleetlab/aws/jobs/nope'), 404, /"nope"/);
  });

  it('cancels a scheduled job, and refuses to cancel a completed one', async () => {
    const created = await host.call('POST', '/_fleetlab/aws/jobs', {
      jobId: 'ui-later',
      thingNames: ['valve-1', 'valve-2'],
      document: DOCUMENT,
      schedulingConfig: { startTime: '2099-01-01T00:00', endTime: '2099-01-02T00:00', endBehavior: 'CANCEL' },
    });
    expect(created.status).toBe(201);
    expect((await json(host.call('GET', '/_fleetlab/aws/jobs?status=SCHEDULED'))).value.map((job: Json) => job.jobId)).toEqual(['ui-later']);

    const canceled = await host.call('POST', '/_fleetlab/aws/jobs/ui-later/cancel', { force: true, comment: 'Not this year' });
    expect(await canceled.json()).toMatchObject({ jobId: 'ui-later', status: 'CANCELED' });
    expect(await json(host.call('GET', '/_fleetlab/aws/jobs/ui-later'))).toMatchObject({
      comment: 'Not this year',
      forceCanceled: true,
      jobProcessDetails: { CANCELED: 2, QUEUED: 0 },
    });
    const refused = await host.call('POST', '/_fleetlab/aws/jobs/ui-ramp/cancel', {});
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as Json).error.message).toMatch(/only an unfinished job can be cancelled/);
  });
});
