import { CreateJobCommand, IoTClient } from '@aws-sdk/client-iot';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AWS_CREDENTIALS } from '../../../electron/api/aws/credentials.js';
import { createJob, expectJson, getJob, jobBody, pollJob, seedFleet, settled } from '../../helpers/engine-fleet.js';
import { buildDist, startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process.js';

const ROUNDS = 50;

describe('reset and snapshot import while IoT Central and AWS jobs run, in a real emulator process', () => {
  let emulator: EmulatorProcess;
  let dataDir: string;
  let iot: IoTClient;

  beforeAll(async () => {
    buildDist();
    dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-reset-loop-'));
    emulator = await startEmulatorProcess(dataDir);
    iot = new IoTClient({ endpoint: `${emulator.url}/aws`, region: 'us-east-1', credentials: DEFAULT_AWS_CREDENTIALS, maxAttempts: 1 });
  }, 300_000);

  afterAll(async () => {
    await emulator?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A fleet whose jobs are mid-flight when the reset comes: real time, devices answering after 50–400 ms. */
  async function startJobs(round: number): Promise<void> {
    await seedFleet(emulator.call, { count: 2_000, prefix: 'field', timeScale: 1, behavior: { latencyMs: { min: 50, max: 400 } } });
    await createJob(emulator.call, `central-${round}`, jobBody('field', { batch: { type: 'number', value: 200 } }));
    await iot.send(new CreateJobCommand({ jobId: `aws-${round}`, targets: ['arn:aws:iot:us-east-1:123456789012:thing/field-1', 'arn:aws:iot:us-east-1:123456789012:thing/field-2'], document: '{"do":"it"}' }));
  }

  it(`answers 204 to each of ${ROUNDS} resets and imports, never exits, and then runs a job to its end`, async () => {
    const empty = await expectJson<Record<string, unknown>>(await emulator.call('GET', '/_fleetlab/snapshot'), 200);
    for (let round = 0; round < ROUNDS; round++) {
      await startJobs(round);
      const replaced = round % 2 === 0 ? await emulator.call('POST', '/_fleetlab/reset') : await emulator.call('PUT', '/_fleetlab/snapshot', empty);
      expect(replaced.status, `round ${round}: ${await replaced.clone().text()}`).toBe(204);
    }
    expect(emulator.child.exitCode).toBeNull();

    await seedFleet(emulator.call, { count: 2_000, prefix: 'field', timeScale: 0 });
    await createJob(emulator.call, 'after', jobBody('field', { batch: { type: 'percentage', value: 10 } }));
    const { job } = await pollJob(emulator.call, 'after', settled);
    expect(job.status).toBe('complete');
    expect((await getJob(emulator.call, 'after')).progress).toMatchObject({ total: 2_000, completed: 2_000, failed: 0 });
  }, 240_000);
});
