import type { HttpClient } from './http-client.js';

const API = 'api-version=2022-07-31';
const TEMPLATE_ID = 'dtmi:fleetlab:bench;1';
const GROUP_ID = 'bench-fleet';
export const FAILURE_RATE = 0.05;

interface JobProgress {
  total: number;
  pending: number;
  completed: number;
  failed: number;
}

interface CentralJob {
  status: string;
  progress?: JobProgress;
}

/** A template with one writable double, the simulation profile, and a group that selects the whole fleet. */
export async function prepareApp(client: HttpClient): Promise<void> {
  await client.json('PUT', `/api/deviceTemplates/${TEMPLATE_ID}?${API}`, {
    '@type': ['ModelDefinition', 'DeviceModel'],
    displayName: 'Bench thermostat',
    capabilityModel: {
      '@id': 'dtmi:fleetlab:benchThermostat;1',
      '@type': 'Interface',
      contents: [{ '@type': 'Property', name: 'targetTemperature', schema: 'double', writable: true }],
    },
  });
  await client.json('PUT', '/_fleetlab/simulation', {
    timeScale: 0,
    seed: 1,
    defaults: { propertyFailureRate: FAILURE_RATE, latencyMs: { min: 50, max: 500 } },
  });
}

/** Creates the fleet; milliseconds as the client saw them. */
export async function createFleet(client: HttpClient, devices: number): Promise<number> {
  const reply = await client.request('POST', '/_fleetlab/fleet', { template: TEMPLATE_ID, count: devices, idPrefix: 'bench' });
  if (reply.status !== 201) throw new Error(`POST /_fleetlab/fleet answered ${reply.status}: ${reply.body.slice(0, 300)}`);
  await client.json('PUT', `/api/deviceGroups/${GROUP_ID}?${API}`, {
    displayName: 'Bench fleet',
    filter: `SELECT * FROM devices WHERE $template = "${TEMPLATE_ID}"`,
  });
  return reply.ms;
}

export interface JobResult {
  /** From sending PUT /api/jobs/{id} to the first GET that reports `complete`. */
  ms: number;
  progress: JobProgress;
  /** GET /api/jobs/{id} latencies while the job ran: how responsive the event loop stayed. */
  pollLatencies: number[];
}

/** Runs a property job in 10 % batches on the group and polls its status every `pollMs` until it ends. */
export async function runPropertyJob(client: HttpClient, jobId: string, timeoutMs: number, pollMs = 20): Promise<JobResult> {
  const started = performance.now();
  await client.json('PUT', `/api/jobs/${jobId}?${API}`, {
    displayName: 'Bench property job',
    group: GROUP_ID,
    batch: { type: 'percentage', value: 10 },
    data: [{ type: 'property', target: TEMPLATE_ID, path: 'targetTemperature', value: 21.5 }],
  });
  const pollLatencies: number[] = [];
  while (performance.now() - started < timeoutMs) {
    const reply = await client.request('GET', `/api/jobs/${jobId}?${API}`);
    pollLatencies.push(reply.ms);
    if (reply.status !== 200) throw new Error(`GET /api/jobs/${jobId} answered ${reply.status}: ${reply.body.slice(0, 300)}`);
    const job = JSON.parse(reply.body) as CentralJob;
    if (job.status === 'complete') return { ms: performance.now() - started, progress: job.progress!, pollLatencies };
    if (job.status !== 'running' && job.status !== 'pending') throw new Error(`the job ended ${job.status}: ${reply.body.slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(`the job did not complete within ${timeoutMs / 1000} s`);
}

/** Problems with a finished job's counts, empty when they add up. */
export function checkProgress(progress: JobProgress, devices: number): string[] {
  const problems: string[] = [];
  if (progress.total !== devices) problems.push(`total ${progress.total}, expected ${devices}`);
  if (progress.pending !== 0) problems.push(`${progress.pending} devices still pending`);
  if (progress.completed + progress.failed !== progress.total) problems.push('completed + failed differs from total');
  const rate = progress.failed / progress.total;
  // Five standard deviations of a binomial draw, so a correct run never trips it.
  const tolerance = 5 * Math.sqrt((FAILURE_RATE * (1 - FAILURE_RATE)) / devices);
  if (Math.abs(rate - FAILURE_RATE) > tolerance) problems.push(`failure rate ${(rate * 100).toFixed(2)} %, expected about ${FAILURE_RATE * 100} %`);
  return problems;
}
