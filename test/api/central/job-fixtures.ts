import { expect, vi } from 'vitest';
import type { TestHost } from '../../helpers/host.js';

/** The thermostat of the jobs how-to: a writable double `targetTemperature` and the `getMaxMinReport` command. */
export const THERMOSTAT_ID = 'dtmi:modelDefinition:zomtmdxh:eqod32zbyl';
export const THERMOSTAT_TEMPLATE = {
  '@type': ['ModelDefinition', 'DeviceModel'],
  displayName: 'Thermostat',
  capabilityModel: {
    '@id': 'dtmi:com:example:Thermostat;1',
    '@type': 'Interface',
    contents: [
      { '@type': 'Property', name: 'targetTemperature', schema: 'double', writable: true },
      { '@type': 'Command', name: 'getMaxMinReport', request: { name: 'since', schema: 'dateTime' } },
      { '@type': ['Property', 'Cloud'], name: 'CustomerName', schema: 'string' },
    ],
  },
};
export const HOWTO_GROUP = '833d7a7d-8f99-4e04-9e56-745806bdba6e';

export type Json = Record<string, unknown>;

/** Requests against one api-version of a host, the way a client pointed at IoT Central sends them. */
export class CentralClient {
  constructor(
    readonly host: TestHost,
    readonly version: string,
  ) {}

  path(path: string): string {
    return `/api${path}${path.includes('?') ? '&' : '?'}api-version=${this.version}`;
  }

  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response> {
    return this.host.call(method, this.path(path), body, headers);
  }

  /** Sends the request, expects `status` and returns the parsed body (undefined for an empty one). */
  async expect<T = Json>(status: number, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const res = await this.call(method, path, body, headers);
    const text = await res.text();
    expect(res.status, `${method} ${path} answered ${text}`).toBe(status);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  async job(id: string): Promise<Json> {
    return this.expect(200, 'GET', `/jobs/${id}`);
  }

  /** Polls the job until `done` holds for it (a finished status by default). */
  async waitForJob(id: string, done: (job: Json) => boolean = isFinishedJob, timeoutMs = 15_000): Promise<Json> {
    return vi.waitFor(
      async () => {
        const job = await this.job(id);
        if (!done(job)) throw new Error(`job ${id} did not reach the expected state in ${timeoutMs} ms; last seen ${JSON.stringify(job)}`);
        return job;
      },
      { timeout: timeoutMs, interval: 25 },
    );
  }

  /** Every item of a list operation, following nextLinks. */
  async walk<T = Json>(path: string): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = this.path(path);
    while (next) {
      const res = await this.host.call('GET', next.startsWith('http') ? next.slice(this.host.url.length) : next);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { value: T[]; nextLink?: string };
      items.push(...page.value);
      next = page.nextLink;
    }
    return items;
  }
}

export const isFinishedJob = (job: Json) => ['complete', 'cancelled', 'failed'].includes(job.status as string);

/** The how-to's app: the thermostat template, devices therm-01..04 (or `deviceIds`) and the thermostat group. */
export async function seedThermostats(client: CentralClient, deviceIds = ['therm-01', 'therm-02', 'therm-03', 'therm-04'], groupId = HOWTO_GROUP) {
  await client.expect(200, 'PUT', `/deviceTemplates/${THERMOSTAT_ID}`, THERMOSTAT_TEMPLATE);
  for (const id of deviceIds) {
    await client.expect(200, 'PUT', `/devices/${id}`, { displayName: id, template: THERMOSTAT_ID, simulated: true, enabled: true });
  }
  await client.expect(200, 'PUT', `/deviceGroups/${groupId}`, {
    displayName: 'Thermostats',
    filter: `SELECT * FROM devices WHERE $template = "${THERMOSTAT_ID}"`,
  });
}

/** Sets the control API's simulation profile (time scale, default latency) and expects it accepted. */
export async function setSimulation(host: TestHost, profile: Json): Promise<void> {
  const res = await host.call('PUT', '/_fleetlab/simulation', profile);
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Moves the host's simulated clock forward, running whatever falls due on the way. */
export async function advanceClock(host: TestHost, ms: number): Promise<void> {
  const res = await host.call('POST', '/_fleetlab/clock/advance', { ms });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Sets a template's behaviour through the control API. */
export async function setTemplateBehavior(host: TestHost, templateId: string, behavior: Json): Promise<void> {
  const res = await host.call('PUT', `/_fleetlab/templates/${encodeURIComponent(templateId)}/behavior`, behavior);
  expect(res.status, await res.clone().text()).toBe(200);
}
