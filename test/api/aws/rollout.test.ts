import { CreateJobCommand, ListJobExecutionsForJobCommand, type IoTClient, type JobExecutionSummaryForJob } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { createFleet, describeUntilDone, iotClient, thingArn, useVirtualTime } from './aws-client.js';

const document = '{"operation":"update"}';

async function allExecutions(iot: IoTClient, jobId: string): Promise<JobExecutionSummaryForJob[]> {
  const out: JobExecutionSummaryForJob[] = [];
  let nextToken: string | undefined;
  do {
    const page = await iot.send(new ListJobExecutionsForJobCommand({ jobId, maxResults: 100, nextToken }));
    out.push(...page.executionSummaries!);
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** How many executions started in each simulated minute after the first one. */
function startsPerMinute(executions: JobExecutionSummaryForJob[]): number[] {
  const starts = executions.map((execution) => execution.jobExecutionSummary!.startedAt!.getTime());
  const first = Math.min(...starts);
  const counts: number[] = [];
  for (const at of starts) {
    const minute = Math.floor((at - first) / 60_000);
    counts[minute] = (counts[minute] ?? 0) + 1;
  }
  return Array.from(counts, (count) => count ?? 0);
}

describe('AWS IoT job rollout, abort, timeout and retry configurations in virtual time', () => {
  let host: TestHost;
  let iot: IoTClient;

  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    await useVirtualTime(host);
  });
  afterAll(() => host.stop());

  it('follows the exponential ramp: base rate, multiplied each time enough things were notified, capped at the maximum', async () => {
    const things = await createFleet(host, 'ramp', 30, 'ramp-type');
    await iot.send(
      new CreateJobCommand({
        jobId: 'ramp-job',
        targets: things.map(thingArn),
        document,
        jobExecutionsRolloutConfig: {
          maximumPerMinute: 10,
          exponentialRate: { baseRatePerMinute: 2, incrementFactor: 2, rateIncreaseCriteria: { numberOfNotifiedThings: 2 } },
        },
      }),
    );
    expect((await describeUntilDone(iot, 'ramp-job')).job!.status).toBe('COMPLETED');
    const executions = await allExecutions(iot, 'ramp-job');
    expect(executions).toHaveLength(30);
    // 2 per minute, then 4 once 2 were notified, 8 once 4 more were, then the maximum of 10; the last 6 in minute 4.
    expect(startsPerMinute(executions)).toEqual([2, 4, 8, 10, 6]);
  });

  it('notifies things only inside the maintenance windows', async () => {
    const things = await createFleet(host, 'windowed', 12, 'windowed-type');
    await iot.send(
      new CreateJobCommand({
        jobId: 'window-job',
        targets: things.map(thingArn),
        document,
        jobExecutionsRolloutConfig: { maximumPerMinute: 5 },
        schedulingConfig: { maintenanceWindows: [{ startTime: 'cron(0 22 ? * SAT *)', durationInMinutes: 2 }] },
      }),
    );
    expect((await describeUntilDone(iot, 'window-job')).job!.status).toBe('COMPLETED');
    const starts = (await allExecutions(iot, 'window-job')).map((e) => e.jobExecutionSummary!.startedAt!);
    // 5 a minute in a two-minute window: 10 on one Saturday at 22:00 and 22:01, the last 2 a week later.
    for (const start of starts) expect([start.getUTCDay(), start.getUTCHours(), start.getUTCMinutes() < 2]).toEqual([6, 22, true]);
    const weeks = new Set(starts.map((start) => start.toISOString().slice(0, 10)));
    expect(weeks.size).toBe(2);
  });

  it('aborts when failures reach the threshold after the minimum executed things: queued executions are CANCELED', async () => {
    const things = await createFleet(host, 'flaky', 100, 'flaky-type');
    await host.call('PUT', '/_fleetlab/templates/flaky-type/behavior', { commandFailureRate: 0.5 });
    await iot.send(
      new CreateJobCommand({
        jobId: 'abort-job',
        targets: things.map(thingArn),
        document,
        jobExecutionsRolloutConfig: { maximumPerMinute: 20 },
        abortConfig: { criteriaList: [{ failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 10, minNumberOfExecutedThings: 10 }] },
      }),
    );
    const { job } = await describeUntilDone(iot, 'abort-job');
    expect(job!.status).toBe('CANCELED');
    const details = job!.jobProcessDetails!;
    expect(details.numberOfQueuedThings).toBe(0);
    expect(details.numberOfFailedThings).toBeGreaterThanOrEqual(1);
    // The first minute's 20 things were notified before the abort; the other 80 never were.
    expect(details.numberOfCanceledThings).toBe(80);
    expect(details.numberOfSucceededThings! + details.numberOfFailedThings! + details.numberOfInProgressThings!).toBe(20);
    const canceled = await iot.send(new ListJobExecutionsForJobCommand({ jobId: 'abort-job', status: 'CANCELED', maxResults: 250 }));
    expect(canceled.executionSummaries).toHaveLength(80);
    expect(canceled.executionSummaries![0]!.jobExecutionSummary!.startedAt).toBeUndefined();
  });

  it('times out executions still in progress after inProgressTimeoutInMinutes and retries them as the retry config says', async () => {
    const things = await createFleet(host, 'sluggish', 5, 'sluggish-type');
    // Devices answer after 3 simulated minutes, later than the 1-minute in-progress timeout.
    await host.call('PUT', '/_fleetlab/templates/sluggish-type/behavior', { latencyMs: { min: 180_000, max: 180_000 } });
    await iot.send(
      new CreateJobCommand({
        jobId: 'timeout-job',
        targets: things.map(thingArn),
        document,
        timeoutConfig: { inProgressTimeoutInMinutes: 1 },
        jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'TIMED_OUT', numberOfRetries: 2 }] },
      }),
    );
    const { job } = await describeUntilDone(iot, 'timeout-job');
    expect(job).toMatchObject({ status: 'COMPLETED', jobProcessDetails: { numberOfTimedOutThings: 5 } });
    const executions = await allExecutions(iot, 'timeout-job');
    // Three attempts (the first and two retries) of one minute each: each execution ends three minutes after it started.
    // (retryAttempt reads 0 once the job has finished: the engine keeps attempt counts only while a job runs.)
    for (const { jobExecutionSummary: summary } of executions) {
      expect(summary!.status).toBe('TIMED_OUT');
      const minutes = (summary!.lastUpdatedAt!.getTime() - summary!.startedAt!.getTime()) / 60_000;
      expect(minutes).toBeGreaterThanOrEqual(3);
      expect(minutes).toBeLessThan(3.1);
    }
  });
});
