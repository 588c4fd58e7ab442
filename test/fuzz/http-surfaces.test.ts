import { writeFileSync } from 'node:fs';
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
import { expectAnswering, expectCall, FUZZ_TOKEN, startFuzzEmulator, type FuzzEmulator } from './fuzz-emulator.js';
import { centralPools, FIXTURE, seedAws, seedCentral } from './fuzz-fixtures.js';
import { fuzzParameters, fuzzTimeout } from './fuzz-settings.js';
import { sendRawBytes } from './mqtt-clients.js';
import { mutated } from './nasty-values.js';
import { s3Request } from './s3-requests.js';
import { seedEveryCollection } from './snapshot-fixtures.js';
import { describeRequest, send, type WireRequest } from './wire.js';

/** Runs (of one to four requests) per surface in the suite; FUZZ_RUNS=N for a long campaign. */
const RUNS = 250;
/** At least this share of a surface's answers are 2xx: the requests reach the domain, not only auth and validation. */
const MIN_SUCCESS_SHARE = 0.05;
const SNAPSHOT_RUNS = 40;
/** Reads of the whole state through every API: an import must never leave one of them failing. */
const STATE_READS = [
  '/api/devices?api-version=2022-10-31-preview',
  '/api/jobs?api-version=2022-10-31-preview',
  '/api/deviceGroups?api-version=2022-10-31-preview',
  '/api/deviceTemplates?api-version=2022-10-31-preview',
  '/api/scheduledJobs?api-version=2022-10-31-preview',
  '/api/organizations?api-version=2022-10-31-preview',
  '/_fleetlab/fleet/summary',
  '/_fleetlab/devices',
  '/_fleetlab/aws/jobs',
  '/_fleetlab/aws/thing-groups',
  '/_fleetlab/scheduled-jobs/next-runs',
  '/_fleetlab/snapshot',
];

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

  it('keeps answering after bytes that are not HTTP, heads over 16 KiB and bodies shorter than announced on the API port', async () => {
    const { port } = new URL(emulator.url);
    const raw = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)),
      fc.constantFrom(20_000, 70_000).map((length) => Buffer.from(`GET /api/jobs?x=${'a'.repeat(length)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)),
      fc.constant(Buffer.from(`PUT /api/devices/d?api-version=2022-07-31 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${FUZZ_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"displayName":`)),
      fc.constant(Buffer.from('POST /aws/things/x HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')),
    );
    await fc.assert(
      fc.asyncProperty(raw, async (bytes) => {
        await sendRawBytes(Number(port), bytes);
        await expectAnswering(emulator);
      }),
      fuzzParameters(30),
    );
  }, fuzzTimeout(60_000));

  it('imports snapshots mutated in one place anywhere with 204 or a 4xx, and every read answers 200 afterwards', async () => {
    // The properties before this one deleted and changed at random: it starts from the fixtures, with every collection filled.
    await expectCall(emulator, 204, 'POST', '/_fleetlab/reset');
    await seedCentral(emulator);
    await seedAws(emulator);
    await seedEveryCollection(emulator);
    const exported = JSON.parse((await emulator.call('GET', '/_fleetlab/snapshot')).body) as unknown;
    await fc.assert(
      fc.asyncProperty(mutated(fc.constant(exported)), async (snapshot) => {
        const request = { method: 'PUT', path: '/_fleetlab/snapshot', headers: { authorization: FUZZ_TOKEN, 'content-type': 'application/json' }, body: JSON.stringify(snapshot) ?? 'null' };
        const answer = await send(emulator.url, request);
        const problem = answerProblem('central', 'PUT', answer);
        if (problem) {
          if (process.env.FUZZ_DUMP) writeFileSync(process.env.FUZZ_DUMP, request.body);
          throw new Error(`${describeRequest(request)} -> ${problem}; the emulator logged: ${emulator.serve.stderr().slice(-1500)}`);
        }
        for (const read of STATE_READS) {
          const state = await emulator.call('GET', read);
          if (state.status !== 200) {
            if (process.env.FUZZ_DUMP) writeFileSync(process.env.FUZZ_DUMP, request.body);
            throw new Error(`after an import answered ${answer.status}, GET ${read} answered ${state.status}: ${state.body.slice(0, 300)}; the emulator logged: ${emulator.serve.stderr().slice(-1500)}`);
          }
        }
      }),
      // Each import replaces the state the next one starts from: shrinking would replay on a state already broken.
      { ...fuzzParameters(SNAPSHOT_RUNS), endOnFailure: true },
    );
    await emulator.call('PUT', '/_fleetlab/snapshot', exported);
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
