import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { EXAMPLE_TEMPLATE } from './device-examples.js';
import { BadRequestGenerator, seededRandom, type BadRequest } from './fuzz-generator.js';
import { COMPONENT_TEMPLATE_ID, FIXTURE } from './fuzz-fixture.js';
import { OPERATIONS } from './fuzz-operations.js';
import { CentralClient, seedThermostats, setTemplateBehavior, THERMOSTAT_ID, type Json } from './job-fixtures.js';

const SEED = 20240601;
const REQUESTS_PER_OPERATION = 200;
const CONCURRENCY = 8;
const RFC_1123 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
/** What a client can read back: every listing and the state of each fixture. */
const STATE_READS = [
  '/jobs',
  '/jobs/fuzz-job/devices',
  '/scheduledJobs',
  '/scheduledJobs/fuzz-sched/jobs',
  '/devices',
  '/deviceGroups',
  '/deviceTemplates',
  '/organizations',
  '/apiTokens',
  '/roles',
  `/devices/${FIXTURE.device}/properties`,
  `/devices/${FIXTURE.device}/commands/getMaxMinReport`,
  `/devices/${FIXTURE.componentDevice}/components/settings/properties`,
  `/devices/${FIXTURE.componentDevice}/components/Thermostat_1o/commands/CoolDown`,
];

interface Answer {
  request: BadRequest;
  status: number;
  errorCode: string | null;
  text: string;
}

describe('fuzzing every /api operation with bad requests', () => {
  let host: TestHost;
  let central: CentralClient;
  let generator: BadRequestGenerator;

  async function state(): Promise<Record<string, unknown>> {
    // Every listing here fits in one page.
    const entries = await Promise.all(STATE_READS.map(async (read) => [read, await central.expect(200, 'GET', read)] as const));
    return Object.fromEntries(entries);
  }

  async function send(request: BadRequest): Promise<Answer> {
    const res = await fetch(`${host.url}${request.url}`, { method: request.method, headers: request.headers, body: request.body });
    return { request, status: res.status, errorCode: res.headers.get('x-ms-error-code'), text: await res.text() };
  }

  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1 });
    central = new CentralClient(host, '2022-10-31-preview');
    await seedThermostats(central, [FIXTURE.device]);
    await central.expect(200, 'PUT', `/deviceTemplates/${COMPONENT_TEMPLATE_ID}`, EXAMPLE_TEMPLATE);
    await central.expect(200, 'PUT', `/devices/${FIXTURE.componentDevice}`, { template: COMPONENT_TEMPLATE_ID, simulated: true });
    await central.expect(200, 'PUT', `/organizations/${FIXTURE.organization}`, { displayName: 'Fuzz org' });
    await central.expect(202, 'PATCH', `/devices/${FIXTURE.device}/properties`, { targetTemperature: 18 });
    // A finished job with a failed device, so that stop, resume and rerun reach the engine.
    await setTemplateBehavior(host, THERMOSTAT_ID, { propertyFailureRate: 1 });
    await central.expect(200, 'PUT', `/jobs/${FIXTURE.job}`, { group: FIXTURE.group, data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 20 }] });
    expect(await central.waitForJob(FIXTURE.job)).toMatchObject({ status: 'complete', progress: { failed: 1 } });
    await setTemplateBehavior(host, THERMOSTAT_ID, { propertyFailureRate: 0 });
    await central.expect(200, 'PUT', `/scheduledJobs/${FIXTURE.scheduledJob}`, {
      group: FIXTURE.group,
      data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 20 }],
      schedule: { start: '2099-01-01T00:00:00Z', recurrence: 'weekly' },
    });
    await central.expect(200, 'PUT', `/apiTokens/${FIXTURE.token}`, { roles: [{ role: FIXTURE.operator }] });
    await central.expect(422, 'PUT', '/apiTokens/fuzz-expired-at-once', { roles: [{ role: FIXTURE.operator }], expiry: '2001-01-01T00:00:00Z' });
    // A past expiry is refused at creation, so the expired token is one that lapsed a moment later.
    const expired = await central.expect<{ token: string }>(200, 'PUT', '/apiTokens/fuzz-expired', { roles: [{ role: FIXTURE.operator }], expiry: new Date(Date.now() + 500).toISOString() });
    // expect.poll is for tests; a hook waits with vi.waitFor.
    await vi.waitFor(
      async () => {
        const { status } = await central.call('GET', '/jobs', undefined, { authorization: expired.token });
        if (status !== 401) throw new Error(`the expired token is still accepted (${status})`);
      },
      { timeout: 10_000, interval: 20 },
    );
    const deleted = await central.expect<{ token: string }>(200, 'PUT', '/apiTokens/fuzz-deleted', { roles: [{ role: FIXTURE.operator }] });
    await central.expect(204, 'DELETE', '/apiTokens/fuzz-deleted');
    generator = new BadRequestGenerator(seededRandom(SEED), { valid: host.token, expired: expired.token, deleted: deleted.token }, ['2022-07-31', '2022-10-31-preview']);
  });
  afterAll(() => host.stop());

  it('covers every operation the /api routes register', () => {
    const routes = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../electron/api/central/routes');
    const registered = new Set(readdirSync(routes).flatMap((file) => [...readFileSync(path.join(routes, file), 'utf8').matchAll(/'([A-Z][A-Za-z]+_[A-Za-z]+)'/g)].map((m) => m[1]!)));
    expect(new Set(OPERATIONS.map((op) => op.operationId))).toEqual(registered);
  });

  it(`answers ${REQUESTS_PER_OPERATION} bad requests per operation with a 4xx in the IoT Central error shape and changes nothing`, async () => {
    const before = await state();
    const requests = OPERATIONS.flatMap((op) => generator.requestsFor(op, REQUESTS_PER_OPERATION));
    const answers: Answer[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) answers.push(await send(requests[next++]!));
      }),
    );

    const problems = answers.flatMap(({ request, status, errorCode, text }) => {
      const found: string[] = [];
      if (status < 400 || status >= 500) found.push(`status ${status}`);
      if (request.status !== undefined && status !== request.status) found.push(`status ${status}, expected ${request.status}`);
      let error: Json | undefined;
      try {
        error = (JSON.parse(text) as { error?: Json }).error;
      } catch {
        found.push('a body that is not JSON');
      }
      if (!error || typeof error.code !== 'string' || typeof error.message !== 'string' || typeof error.requestId !== 'string' || !RFC_1123.test(String(error.time))) {
        found.push('no IoT Central error object');
      } else if (errorCode !== error.code) {
        found.push(`x-ms-error-code ${errorCode} differs from error.code ${String(error.code)}`);
      }
      return found.length === 0 ? [] : [`${request.kind} (${request.method} ${request.url.slice(0, 120)}): ${found.join('; ')}: ${text.slice(0, 200)}`];
    });
    expect(answers).toHaveLength(requests.length);
    // One line per operation and broken part, so that a regression reads as a short list.
    const distinct = [...new Map(problems.map((problem) => [/^[^:]+: \S+/.exec(problem)![0], problem])).values()];
    expect(distinct, `${problems.length} of ${answers.length} bad requests were answered wrongly`).toEqual([]);

    expect((await central.call('GET', '/jobs')).status).toBe(200);
    expect(await state()).toEqual(before);
    // Nine thousand requests: a correctness check whose run time follows the machine's load, not a timing target.
  }, 180_000);
});
