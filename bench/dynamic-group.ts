import {
  CreateDynamicThingGroupCommand,
  CreateJobCommand,
  CreateThingCommand,
  DescribeEndpointCommand,
  DescribeJobExecutionCommand,
  DescribeThingGroupCommand,
  IoTClient,
  UpdateThingCommand,
} from '@aws-sdk/client-iot';
import { DEFAULT_AWS_CREDENTIALS } from '../electron/api/aws/credentials.js';
import { verdict, type Row } from './report.js';
import { ms, summarize } from './stats.js';

const ARN = 'arn:aws:iot:us-east-1:123456789012:thinggroup';
/** Things that start to match once the job runs: half fleet members, half things of their own. */
export const JOINERS = 100;
const MAXIMUM_PER_MINUTE = 1000;
export const JOIN_TARGET = `within one rollout slot (60 s at timeScale 1, maximumPerMinute ${MAXIMUM_PER_MINUTE})`;

export interface DynamicGroupFigures {
  /** CreateDynamicThingGroup to the first DescribeThingGroup that says ACTIVE, decided by the fleet's shared fields. */
  sharedActiveMs: number;
  /** The same for a query on thingName, which visits every thing. */
  scanActiveMs: number;
  /** DescribeEndpoint calls sent back to back while that group was BUILDING, and as many before it (the machine's own noise). */
  duringScan: { count: number; max: number; p99: number };
  beforeScan: { max: number; p99: number };
  createJobMs: number;
  /** From sending UpdateThing to the first DescribeJobExecution that finds the execution, per joining thing. */
  join: { p50: number; max: number };
  /** UpdateThing itself while the million-thing job runs. */
  updateThing: { p50: number; max: number };
}

/**
 * A CONTINUOUS job on a dynamic group of the whole fleet (`NOT attributes.retired:true`), at timeScale 1 with
 * maximumPerMinute 1000: one rollout slot is a minute. Things whose attribute change makes them match must get their
 * execution within it. The fleet exists already (`bench-1..n`).
 */
export async function measureDynamicGroup(url: string, devices: number, setTimeScale: (scale: number) => Promise<void>): Promise<DynamicGroupFigures> {
  const iot = new IoTClient({ endpoint: `${url}/aws`, region: 'us-east-1', credentials: DEFAULT_AWS_CREDENTIALS, maxAttempts: 1 });
  try {
    await setTimeScale(1);
    const joiners: string[] = [];
    for (let i = 1; i <= JOINERS / 2; i++) {
      const member = `bench-${Math.floor((i * devices) / (JOINERS / 2))}`;
      await iot.send(new UpdateThingCommand({ thingName: member, attributePayload: { attributes: { retired: 'true' }, merge: true } }));
      await iot.send(new CreateThingCommand({ thingName: `late-${i}`, attributePayload: { attributes: { retired: 'true' } } }));
      joiners.push(member, `late-${i}`);
    }
    const activeAfter = async (name: string, queryString: string, meanwhile?: () => Promise<void>) => {
      const started = performance.now();
      await iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: name, queryString }));
      while ((await iot.send(new DescribeThingGroupCommand({ thingGroupName: name }))).status !== 'ACTIVE') await meanwhile?.();
      return performance.now() - started;
    };
    const sharedActiveMs = await activeAfter('bench-live', 'NOT attributes.retired:true');
    const pings: number[] = [];
    const ping = async (times: number) => {
      for (let i = 0; i < times; i++) {
        const sent = performance.now();
        await iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }));
        pings.push(performance.now() - sent);
      }
    };
    await ping(300);
    const before = summarize(pings.splice(0));
    const scanActiveMs = await activeAfter('bench-ones', 'thingName:bench-1*', () => ping(20));
    const scan = summarize(pings);

    const jobStarted = performance.now();
    await iot.send(
      new CreateJobCommand({
        jobId: 'bench-continuous',
        targets: [`${ARN}/bench-live`],
        document: '{"operation":"read"}',
        targetSelection: 'CONTINUOUS',
        jobExecutionsRolloutConfig: { maximumPerMinute: MAXIMUM_PER_MINUTE },
      }),
    );
    const createJobMs = performance.now() - jobStarted;

    const joins: number[] = [];
    const updates: number[] = [];
    for (const thingName of joiners) {
      const sent = performance.now();
      await iot.send(new UpdateThingCommand({ thingName, attributePayload: { attributes: { retired: '' }, merge: true } }));
      updates.push(performance.now() - sent);
      for (;;) {
        const found = await iot.send(new DescribeJobExecutionCommand({ jobId: 'bench-continuous', thingName })).then(
          () => true,
          (error: { name?: string }) => {
            if (error.name === 'ResourceNotFoundException') return false;
            throw error;
          },
        );
        if (found) break;
      }
      joins.push(performance.now() - sent);
    }
    const join = summarize(joins);
    const update = summarize(updates);
    return {
      sharedActiveMs,
      scanActiveMs,
      duringScan: { count: pings.length, max: scan.max, p99: scan.p99 },
      beforeScan: { max: before.max, p99: before.p99 },
      createJobMs,
      join: { p50: join.p50, max: join.max },
      updateThing: { p50: update.p50, max: update.max },
    };
  } finally {
    iot.destroy();
  }
}

/** The figures as rows of the bench table. */
export function dynamicGroupRows(figures: DynamicGroupFigures, deviceLabel: string): Row[] {
  const { duringScan, beforeScan, join, updateThing } = figures;
  return [
    { figure: `CreateDynamicThingGroup of ${deviceLabel} things on an attribute, to ACTIVE`, measured: ms(figures.sharedActiveMs), target: "none (decided by the fleet's shared fields)", ok: 'n/a' },
    {
      figure: `CreateDynamicThingGroup on thingName over ${deviceLabel} things (each visited), to ACTIVE`,
      measured: `${ms(figures.scanActiveMs)}; DescribeEndpoint meanwhile p99 ${ms(duringScan.p99)}, max ${ms(duringScan.max)} (${duringScan.count} calls; before the build p99 ${ms(beforeScan.p99)}, max ${ms(beforeScan.max)})`,
      target: 'requests during the build p99 < 50 ms',
      ok: verdict(duringScan.p99 < 50),
    },
    { figure: `CreateJob CONTINUOUS on the ${deviceLabel}-thing group`, measured: ms(figures.createJobMs), target: 'none', ok: 'n/a' },
    {
      figure: `${JOINERS} things start to match (UpdateThing) → DescribeJobExecution finds their execution`,
      measured: `median ${ms(join.p50)}, max ${ms(join.max)}; UpdateThing median ${ms(updateThing.p50)}, max ${ms(updateThing.max)}`,
      target: JOIN_TARGET,
      ok: verdict(join.max < 60_000),
    },
  ];
}
