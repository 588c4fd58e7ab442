import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AddThingToThingGroupCommand,
  CreateJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DescribeJobExecutionCommand,
  IoTClient,
  ListJobExecutionsForJobCommand,
} from '@aws-sdk/client-iot';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AWS_CREDENTIALS } from '../../../electron/api/aws/credentials.js';
import { buildDist, startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';
import { REGION, thingArn, thingGroupArn } from './aws-client.js';

const processes: EmulatorProcess[] = [];
const clients: IoTClient[] = [];
let dataDir: string | undefined;
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(processes.splice(0).map((p) => p.kill9()));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function start(dir: string): Promise<{ emulator: EmulatorProcess; iot: IoTClient }> {
  const emulator = await startEmulatorProcess(dir);
  processes.push(emulator);
  const iot = new IoTClient({ endpoint: `${emulator.url}/aws`, region: REGION, credentials: DEFAULT_AWS_CREDENTIALS, maxAttempts: 1 });
  clients.push(iot);
  return { emulator, iot };
}

async function executionsOf(iot: IoTClient, jobId: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await iot.send(new ListJobExecutionsForJobCommand({ jobId, maxResults: 250, nextToken }));
    arns.push(...page.executionSummaries!.map((summary) => summary.thingArn!));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

describe('the emulator killed with SIGKILL while things join a continuous job', () => {
  beforeAll(() => buildDist(), 300_000);

  it('keeps an execution for every join it acknowledged, each thing once, and goes on taking joins', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-continuous-kill-'));
    const { emulator: first, iot } = await start(dataDir);
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'joiners' }));
    await iot.send(new CreateJobCommand({ jobId: 'follow', targets: [thingGroupArn('joiners')], document: '{"operation":"read"}', targetSelection: 'CONTINUOUS' }));
    const sent = new Set<string>();
    const acknowledged = new Set<string>();
    const joiner = async (lane: number) => {
      for (let n = 0; ; n++) {
        const thingName = `joiner-${lane}-${n}`;
        try {
          await iot.send(new CreateThingCommand({ thingName }));
          sent.add(thingName);
          await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'joiners', thingName }));
          acknowledged.add(thingName);
        } catch {
          return; // the process is gone
        }
      }
    };
    const lanes = Array.from({ length: 4 }, (_, lane) => joiner(lane));
    const killAfter = 100 + Math.floor(Math.random() * 200);
    await expect.poll(() => acknowledged.size, { timeout: 30_000, interval: 1 }).toBeGreaterThanOrEqual(killAfter);
    await first.kill9();
    await Promise.all(lanes);

    const { emulator: second, iot: after } = await start(dataDir);
    const listed = await executionsOf(after, 'follow');
    expect(new Set(listed).size).toBe(listed.length);
    const sentArns = new Set([...sent].map(thingArn));
    expect(listed.filter((arn) => !sentArns.has(arn))).toEqual([]);
    const listedArns = new Set(listed);
    expect([...acknowledged].filter((thingName) => !listedArns.has(thingArn(thingName)))).toEqual([]);

    await after.send(new CreateThingCommand({ thingName: 'late' }));
    await after.send(new AddThingToThingGroupCommand({ thingGroupName: 'joiners', thingName: 'late' }));
    await expect.poll(async () => (await after.send(new DescribeJobExecutionCommand({ jobId: 'follow', thingName: 'late' }))).execution?.status, { timeout: 10_000 }).toBeDefined();
    expect(await executionsOf(after, 'follow')).toHaveLength(listed.length + 1);
    expect(second.stderr()).not.toMatch(/corrupt|torn/i);
  }, 120_000);
});
