import { AddThingToThingGroupCommand, CreateThingCommand, CreateThingGroupCommand, IoTClient } from '@aws-sdk/client-iot';
import { DEFAULT_AWS_CREDENTIALS } from '../electron/api/aws/credentials.js';
import { summarize } from './stats.js';

/** Per-call latency of one registry write repeated as the store grows: the median of the first and last thousand calls. */
export interface WritePhase {
  median: number;
  firstThousand: number;
  lastThousand: number;
}

const WINDOW = 1000;

function phaseOf(latencies: number[]): WritePhase {
  return {
    median: summarize(latencies).p50,
    firstThousand: summarize(latencies.slice(0, WINDOW)).p50,
    lastThousand: summarize(latencies.slice(-WINDOW)).p50,
  };
}

async function timed(count: number, call: (n: number) => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  for (let n = 1; n <= count; n++) {
    const started = performance.now();
    await call(n);
    latencies.push(performance.now() - started);
  }
  return latencies;
}

/** `count` CreateThing calls one at a time with the real AWS SDK, then as many AddThingToThingGroup calls into one group. */
export async function measureRegistryWrites(url: string, count: number): Promise<{ create: WritePhase; add: WritePhase }> {
  const iot = new IoTClient({ endpoint: `${url}/aws`, region: 'us-east-1', credentials: DEFAULT_AWS_CREDENTIALS, maxAttempts: 1 });
  try {
    const create = await timed(count, (n) => iot.send(new CreateThingCommand({ thingName: `bench-thing-${n}` })));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'bench-group' }));
    const add = await timed(count, (n) => iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'bench-group', thingName: `bench-thing-${n}` })));
    return { create: phaseOf(create), add: phaseOf(add) };
  } finally {
    iot.destroy();
  }
}
