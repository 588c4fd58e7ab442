import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IOT_JOBS_DATA_MODEL, IOT_MODEL } from '../../electron/api/aws/service-model.js';
import { THERMOSTAT_ID } from '../api/central/job-fixtures.js';
import { buildDist } from '../helpers/emulator-process.js';
import { awsRequest, type AwsNamePools } from './aws-requests.js';
import { CENTRAL_OPERATIONS, centralRequest } from './central-requests.js';
import { CONTROL_ROUTES, controlRequest } from './control-requests.js';
import { AnswerTally } from './answer-tally.js';
import { answerProblem, type Dialect } from './error-shapes.js';
import { expectAnswering, FUZZ_TOKEN, startFuzzEmulator, type FuzzEmulator } from './fuzz-emulator.js';
import { centralPools, FIXTURE, seedAws, seedCentral } from './fuzz-fixtures.js';
import { fuzzParameters, fuzzTimeout } from './fuzz-settings.js';
import { s3Request } from './s3-requests.js';
import { describeRequest, send, type WireRequest } from './wire.js';

/** Runs (of one to four requests) per surface in the suite; FUZZ_RUNS=N for a long campaign. */
const RUNS = 250;
/** At least this share of a surface's answers are 2xx: the requests reach the domain, not only auth and validation. */
const MIN_SUCCESS_SHARE = 0.05;

const AWS_POOLS: AwsNamePools = [
  { name: /^thingName$/, names: [...FIXTURE.things, 'fz-thing-new'] },
  { name: /thingGroupName|parentGroup|thingGroupNames/, names: [...FIXTURE.thingGroups, 'fz-dynamic'] },
  { name: /^jobId$/, names: [...FIXTURE.awsJobs] },
  { name: /^(targets|resourceArn|thingGroupArn|thingArn)$/, names: [`arn:aws:iot:us-east-1:123456789012:thinggroup/${FIXTURE.thingGroups[0]}`, `arn:aws:iot:us-east-1:123456789012:thing/${FIXTURE.things[0]}`] },
  { name: /^(document|jobDocument)$/, names: ['{"op":"fuzz"}', '{}', '{"url":"${aws:iot:s3-presigned-url:https://s3.amazonaws.com/fz-bucket/firmware.bin}"}'] },
  { name: /^queryString$/, names: ['thingName:fz-*', 'attributes.fuzz:yes', '*', 'thingGroupNames:fz-things'] },
];

describe('property-based fuzzing of the HTTP surfaces of a real `fleetlab serve`', () => {
  let emulator: FuzzEmulator;
  let host: string;

  beforeAll(async () => {
    buildDist();
    emulator = await startFuzzEmulator();
    host = new URL(emulator.url).host;
    await seedCentral(emulator);
    await seedAws(emulator);
  }, 60_000);
  afterAll(() => emulator?.stop());

  const tallies = new Map<Dialect | 'control', AnswerTally>();

  /** Sends each request of a run in order and fails on the first wrong answer, naming the request. */
  async function expectWellAnswered(surface: Dialect | 'control', requests: WireRequest[]): Promise<void> {
    const dialect = surface === 'control' ? 'central' : surface;
    const tally = tallies.get(surface) ?? tallies.set(surface, new AnswerTally()).get(surface)!;
    for (const request of requests) {
      const answer = await send(emulator.url, request);
      tally.count(answer.status);
      const problem = answerProblem(dialect, request.method, answer);
      if (problem) throw new Error(`${describeRequest(request)} -> ${problem}`);
    }
  }

  async function expectAnswered(surface: Dialect | 'control'): Promise<void> {
    await expectAnswering(emulator);
    const tally = tallies.get(surface)!;
    if (process.env.FUZZ_RUNS) console.log(`${surface}: ${tally.total} requests; ${tally.toString()}`);
    expect(tally.successShare, `${surface} answers: ${tally.toString()}`).toBeGreaterThan(MIN_SUCCESS_SHARE);
  }

  it('answers IoT Central operations from both spec files, with mutated bodies, ids and queries, in its error shape', async () => {
    const pools = centralPools();
    const run = fc.array(fc.oneof(...CENTRAL_OPERATIONS.map((op) => centralRequest(op, pools, FUZZ_TOKEN))), { minLength: 1, maxLength: 4 });
    await fc.assert(fc.asyncProperty(run, (requests) => expectWellAnswered('central', requests)), fuzzParameters(RUNS));
    await expectAnswered('central');
  }, fuzzTimeout(60_000));

  it('answers AWS IoT control- and data-plane operations from the botocore models, signed or not, in the AWS error shape', async () => {
    const planes = [
      ...Object.values(IOT_MODEL.operations).map((op) => ({ model: IOT_MODEL, prefix: '/aws', op })),
      ...Object.values(IOT_JOBS_DATA_MODEL.operations).map((op) => ({ model: IOT_JOBS_DATA_MODEL, prefix: '/aws-jobs-data', op })),
    ];
    const request = fc.oneof(...planes.map(({ model, prefix, op }) => awsRequest(model, prefix, op, AWS_POOLS, host)));
    const run = fc.array(request, { minLength: 1, maxLength: 4 });
    await fc.assert(fc.asyncProperty(run, async (pending) => expectWellAnswered('aws', await Promise.all(pending))), fuzzParameters(RUNS));
    await expectAnswered('aws');
  }, fuzzTimeout(60_000));

  it('answers the local S3 (odd keys, `..`, percent-encoding, ranges, bad XML and checksums) in the S3 error shape', async () => {
    const run = fc.array(s3Request(host, [...FIXTURE.buckets], [...FIXTURE.keys]), { minLength: 1, maxLength: 4 });
    await fc.assert(fc.asyncProperty(run, async (pending) => expectWellAnswered('s3', await Promise.all(pending))), fuzzParameters(RUNS));
    await expectAnswered('s3');
  }, fuzzTimeout(60_000));

  it('answers every control API route, with bodies and queries from its TypeBox schemas mutated, in the IoT Central error shape', async () => {
    const pools = {
      default: ['fz-new'],
      templateId: [THERMOSTAT_ID],
      template: [THERMOSTAT_ID],
      deviceId: [...FIXTURE.devices],
      jobId: [FIXTURE.job, ...FIXTURE.awsJobs],
      group: [FIXTURE.group],
      bucket: [...FIXTURE.buckets],
      key: [...FIXTURE.keys],
      requestId: ['req-1'],
      thingGroupName: [...FIXTURE.thingGroups],
    };
    const run = fc.array(fc.oneof(...CONTROL_ROUTES.map((route) => controlRequest(route, pools, FUZZ_TOKEN))), { minLength: 1, maxLength: 4 });
    await fc.assert(fc.asyncProperty(run, (requests) => expectWellAnswered('control', requests)), fuzzParameters(RUNS));
    await expectAnswered('control');
  }, fuzzTimeout(60_000));

  it('starts again on the same data dir after the fuzzing and answers every surface', async () => {
    await emulator.restart();
    await expectAnswering(emulator);
    expect((await emulator.call('GET', '/api/devices?api-version=2022-07-31')).status).toBe(200);
    expect((await emulator.call('GET', '/api/jobs?api-version=2022-07-31')).status).toBe(200);
    expect((await emulator.call('GET', '/_fleetlab/aws/jobs')).status).toBe(200);
    expect((await emulator.call('GET', '/_fleetlab/snapshot')).status).toBe(200);
  }, 60_000);
});
