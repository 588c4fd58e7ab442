import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist } from '../helpers/emulator-process.js';
import { AnswerTally } from './answer-tally.js';
import { answerProblem } from './error-shapes.js';
import { eventually, expectAnswering, expectCall, startFuzzEmulator, type FuzzEmulator } from './fuzz-emulator.js';
import { seedAws, seedCentral } from './fuzz-fixtures.js';
import { fuzzParameters, fuzzTimeout } from './fuzz-settings.js';
import { actionSequence } from './sequence-actions.js';
import { describeRequest, send } from './wire.js';

const RUNS = 40;

interface Snapshot {
  data: Record<'devices' | 'deviceGroups' | 'jobs' | 'things' | 'thingGroups' | 'awsJobs', unknown>;
}

/** The ids a snapshot part holds, whether it keeps them as a record or as a list of `{ id }`. */
function idsOf(part: unknown): string[] {
  if (Array.isArray(part)) return part.map((entry) => String((entry as { id?: unknown; name?: unknown }).id ?? (entry as { name?: unknown }).name)).sort();
  return Object.keys(part ?? {}).sort();
}
const FINISHED = new Set(['complete', 'cancelled', 'failed', 'stopped']);

describe('property-based sequences of valid calls on the same ids, across every API of a real `fleetlab serve`', () => {
  let emulator: FuzzEmulator;

  beforeAll(async () => {
    buildDist();
    emulator = await startFuzzEmulator();
    await seedCentral(emulator);
    await seedAws(emulator);
    await expectCall(emulator, 200, 'PUT', '/_fleetlab/simulation', { timeScale: 0 });
  }, 60_000);
  afterAll(() => emulator?.stop());

  it('answers every step without a 5xx, in its API\'s error shape, and keeps every list readable', async () => {
    const host = new URL(emulator.url).host;
    const tally = new AnswerTally();
    await fc.assert(
      fc.asyncProperty(actionSequence(host), async (actions) => {
        for (const action of actions) {
          const request = await action.request(host);
          const answer = await send(emulator.url, request);
          tally.count(answer.status);
          const problem = answerProblem(action.dialect, request.method, answer);
          if (problem) throw new Error(`${describeRequest(request)} -> ${problem}`);
        }
        await expectAnswering(emulator);
      }),
      fuzzParameters(RUNS),
    );
    if (process.env.FUZZ_RUNS) console.log(`sequences: ${tally.total} requests; ${tally.toString()}`);
    // Valid calls on shared ids: most succeed, the rest are conflicts and missing ids the order made.
    expect(tally.successShare, tally.toString()).toBeGreaterThan(0.3);
    const jobs = (await expectCall(emulator, 200, 'GET', '/api/jobs?api-version=2022-10-31-preview')) as { value: { status: string }[] };
    expect(jobs.value.length).toBeGreaterThan(0);
    expect((await expectCall(emulator, 200, 'GET', '/_fleetlab/aws/jobs')) as object).toHaveProperty('value');
  }, fuzzTimeout(80_000));

  it('starts again on the same data dir with the state the sequences left, and its jobs run on to an end', async () => {
    const before = (await expectCall(emulator, 200, 'GET', '/_fleetlab/snapshot')) as Snapshot;
    await emulator.restart();
    await expectAnswering(emulator);
    const after = (await expectCall(emulator, 200, 'GET', '/_fleetlab/snapshot')) as Snapshot;
    for (const part of ['devices', 'deviceGroups', 'jobs', 'things', 'thingGroups', 'awsJobs'] as const) expect(idsOf(after.data[part]), part).toEqual(idsOf(before.data[part]));
    await expectCall(emulator, 200, 'PUT', '/_fleetlab/simulation', { timeScale: 0 });
    await expectCall(emulator, 200, 'POST', '/_fleetlab/clock/advance', { ms: 24 * 3600_000 });
    await eventually(async () => {
      const jobs = (await expectCall(emulator, 200, 'GET', '/api/jobs?api-version=2022-10-31-preview')) as { value: { id: string; status: string }[] };
      const unfinished = jobs.value.filter((job) => !FINISHED.has(job.status)).map((job) => `${job.id}: ${job.status}`);
      expect(unfinished, 'jobs still running a simulated day later').toEqual([]);
    });
  }, 60_000);
});
