import { expect, vi } from 'vitest';

/** How a client reaches an emulator: a path plus query, with its token already attached. */
export type Call = (method: string, pathAndQuery: string, body?: unknown) => Promise<Response>;

const API_VERSION = '2022-07-31';
export const TEMPLATE_ID = 'dtmi:fleetlab:engineTest;1';

/** A device template with one writable property and one command, what property and command jobs target. */
const TEMPLATE = {
  '@type': ['ModelDefinition', 'DeviceModel'],
  displayName: 'Engine test device',
  capabilityModel: {
    '@id': 'dtmi:fleetlab:engineTestDevice;1',
    '@type': 'Interface',
    contents: [
      { '@type': 'Property', name: 'targetTemperature', schema: 'double', writable: true },
      { '@type': 'Command', name: 'reboot' },
    ],
  },
};

export interface Behavior {
  propertyFailureRate?: number;
  commandFailureRate?: number;
  offlineRate?: number;
  latencyMs?: { min: number; max: number };
  commandTimeoutMs?: number;
}

export interface JobView {
  id: string;
  status: string;
  start?: string;
  end?: string;
  progress?: { total: number; pending: number; completed: number; failed: number };
}

export interface JobDeviceView {
  id: string;
  status: 'pending' | 'completed' | 'failed';
}

export const api = (path: string) => `${path}${path.includes('?') ? '&' : '?'}api-version=${API_VERSION}`;

/** The response's JSON body, failing the test with that body when the status is not the expected one. */
export async function expectJson<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, `${res.url} answered ${text}`).toBe(status);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface FleetSetup {
  count: number;
  /** Device ids are `<prefix>-1` .. `<prefix>-<count>`; the group `<prefix>` holds exactly them. */
  prefix: string;
  seed?: number;
  timeScale: number;
  /** Behaviour of the test template, set through the control API. */
  behavior?: Behavior;
}

/** Sets up, through the control API and the IoT Central API, a simulated fleet in a device group of its own. */
export async function seedFleet(call: Call, setup: FleetSetup): Promise<void> {
  const simulation = { timeScale: setup.timeScale, ...(setup.seed === undefined ? {} : { seed: setup.seed }) };
  await expectJson(await call('PUT', '/_fleetlab/simulation', simulation), 200);
  const template = await call('GET', api(`/api/deviceTemplates/${TEMPLATE_ID}`));
  if (template.status === 404) await expectJson(await call('PUT', api(`/api/deviceTemplates/${TEMPLATE_ID}`), TEMPLATE), 200);
  else await template.body?.cancel();
  if (setup.behavior) await expectJson(await call('PUT', `/_fleetlab/templates/${TEMPLATE_ID}/behavior`, setup.behavior), 200);
  await expectJson(await call('POST', '/_fleetlab/fleet', { template: TEMPLATE_ID, count: setup.count, idPrefix: setup.prefix, simulated: true }), 201);
  const filter = `SELECT * FROM devices WHERE startswith($id, "${setup.prefix}-")`;
  await expectJson(await call('PUT', api(`/api/deviceGroups/${setup.prefix}`), { displayName: setup.prefix, filter }), 200);
}

export interface JobOptions {
  kind?: 'property' | 'command';
  batch?: { type: 'number' | 'percentage'; value: number };
  cancellationThreshold?: { type: 'number' | 'percentage'; value: number; batch?: boolean };
}

export function jobBody(group: string, options: JobOptions = {}): Record<string, unknown> {
  const operation =
    options.kind === 'command'
      ? { type: 'command', target: TEMPLATE_ID, path: 'reboot', value: {} }
      : { type: 'property', target: TEMPLATE_ID, path: 'targetTemperature', value: 21.5 };
  return {
    displayName: `Engine test on ${group}`,
    group,
    data: [operation],
    ...(options.batch ? { batch: options.batch } : {}),
    ...(options.cancellationThreshold ? { cancellationThreshold: options.cancellationThreshold } : {}),
  };
}

export async function createJob(call: Call, id: string, body: Record<string, unknown>): Promise<JobView> {
  return expectJson<JobView>(await call('PUT', api(`/api/jobs/${id}`), body), 200);
}

export async function getJob(call: Call, id: string): Promise<JobView> {
  return expectJson<JobView>(await call('GET', api(`/api/jobs/${id}`)), 200);
}

const FINISHED = ['complete', 'cancelled', 'failed'];
/**
 * Finished and final: a job cancelled by its threshold says `cancelled` at once while its in-flight devices still
 * answer; `end` is set once they have.
 */
export const settled = (job: JobView) => FINISHED.includes(job.status) && job.end !== undefined;

/**
 * Polls GET /api/jobs/{id} until `done` holds, checking at every poll that progress adds up to its total.
 * Returns the last job seen and every poll's snapshot.
 */
export async function pollJob(
  call: Call,
  id: string,
  done: (job: JobView) => boolean = settled,
  { intervalMs = 20, timeoutMs = 20_000 } = {},
): Promise<{ job: JobView; polls: JobView[] }> {
  const polls: JobView[] = [];
  const job = await vi.waitFor(
    async () => {
      const job = await getJob(call, id);
      polls.push(job);
      // A snapshot whose progress does not add up ends the wait at once and fails below, rather than being retried away.
      if (progressProblem(job) === undefined && !done(job)) throw new Error(`job ${id} is still ${job.status}: ${JSON.stringify(job.progress)}`);
      return job;
    },
    { timeout: timeoutMs, interval: intervalMs },
  );
  expect(progressProblem(job)).toBeUndefined();
  return { job, polls };
}

function progressProblem({ id, progress }: JobView): string | undefined {
  if (!progress) return undefined;
  const { total, pending, completed, failed } = progress;
  if (![pending, completed, failed].every((n) => Number.isInteger(n) && n >= 0)) return `progress of ${id} has a count that is not a whole number: ${JSON.stringify(progress)}`;
  if (pending + completed + failed !== total) return `progress of ${id} does not add up to its total: ${JSON.stringify(progress)}`;
  return undefined;
}

export function expectStartNotAfterEnd(job: JobView): void {
  expect(job.start, `${job.id} has no start`).toBeDefined();
  expect(job.end, `${job.id} has no end`).toBeDefined();
  expect(Date.parse(job.start!)).toBeLessThanOrEqual(Date.parse(job.end!));
}

/** Every device of a job, following nextLink through all pages. */
export async function jobDevices(call: Call, id: string): Promise<JobDeviceView[]> {
  const devices: JobDeviceView[] = [];
  let next: string | undefined = api(`/api/jobs/${id}/devices`);
  while (next) {
    const page: { value: JobDeviceView[]; nextLink?: string } = await expectJson(await call('GET', next), 200);
    devices.push(...page.value);
    next = page.nextLink === undefined ? undefined : pathOf(page.nextLink);
  }
  return devices;
}

const pathOf = (link: string) => {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
};

export function countByStatus(devices: readonly JobDeviceView[]): Record<JobDeviceView['status'], number> {
  const counts = { pending: 0, completed: 0, failed: 0 };
  for (const device of devices) counts[device.status]++;
  return counts;
}

/** A client for an emulator that is not a TestHost (e.g. a child process), sending `token` as its Authorization. */
export function clientFor(url: string, token: string): Call {
  return (method, pathAndQuery, body) =>
    fetch(`${url}${pathAndQuery}`, {
      method,
      headers: { authorization: token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}
