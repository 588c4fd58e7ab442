import type { HttpClient } from './http-client.js';
import { summarize, type Summary } from './stats.js';

const API = 'api-version=2022-07-31';

interface DevicePage {
  value: { id: string; status: string }[];
  nextLink?: string;
}

export interface DeviceListResult {
  /** Every page in order, following nextLinks from the first. */
  walk: Summary;
  /** Pages requested again in random order through their nextLinks, plus the last page repeatedly. */
  random: Summary;
  counts: Record<string, number>;
  devices: number;
  duplicates: number;
}

/**
 * Walks GET /api/jobs/{id}/devices from the first page to the last (checking that every device appears once),
 * then re-requests `samples` random pages through their $skiptoken links and the last page `lastPageSamples` times.
 */
export async function measureDeviceList(client: HttpClient, jobId: string, samples = 1000, lastPageSamples = 100): Promise<DeviceListResult> {
  const walk = await walkDeviceList(client, `/api/jobs/${jobId}/devices?${API}`);
  const { links } = walk;
  const randomLatencies: number[] = [];
  for (let i = 0; i < samples; i++) await fetchPage(client, links[Math.floor(Math.random() * links.length)]!, randomLatencies);
  for (let i = 0; i < lastPageSamples; i++) await fetchPage(client, links[links.length - 1]!, randomLatencies);
  return { walk: summarize(walk.latencies), random: summarize(randomLatencies), counts: walk.counts, devices: walk.devices, duplicates: walk.duplicates };
}

/** Follows nextLinks from the first page; the set of seen ids is dropped before the timed random requests. */
async function walkDeviceList(client: HttpClient, first: string) {
  const links = [first];
  const latencies: number[] = [];
  const counts: Record<string, number> = {};
  const seen = new Set<string>();
  let duplicates = 0;
  for (let link: string | undefined = first; link; ) {
    const page = await fetchPage(client, link, latencies);
    for (const device of page.value) {
      counts[device.status] = (counts[device.status] ?? 0) + 1;
      if (seen.has(device.id)) duplicates++;
      seen.add(device.id);
    }
    const next = page.nextLink === undefined ? undefined : new URL(page.nextLink);
    link = next && next.pathname + next.search;
    if (link) links.push(link);
  }
  return { links, latencies, counts, devices: seen.size, duplicates };
}

async function fetchPage(client: HttpClient, link: string, latencies: number[]): Promise<DevicePage> {
  const reply = await client.request('GET', link);
  if (reply.status !== 200) throw new Error(`GET ${link} answered ${reply.status}: ${reply.body.slice(0, 300)}`);
  latencies.push(reply.ms);
  return JSON.parse(reply.body) as DevicePage;
}

export interface PollingResult {
  latency: Summary;
  errors: number;
  firstError?: string;
  requestsPerSecond: number;
}

/** `clients` concurrent clients each polling GET /api/jobs/{id} back to back (no pause) for `seconds`. */
export async function measurePolling(client: HttpClient, jobId: string, clients: number, seconds: number): Promise<PollingResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const fail = (message: string) => {
    errors++;
    firstError ??= message;
  };
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const poll = async () => {
    while (performance.now() < deadline) {
      try {
        const reply = await client.request('GET', `/api/jobs/${jobId}?${API}`);
        latencies.push(reply.ms);
        if (reply.status !== 200) fail(`status ${reply.status}: ${reply.body.slice(0, 200)}`);
      } catch (error) {
        fail((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, poll));
  const elapsed = (performance.now() - started) / 1000;
  return { latency: summarize(latencies), errors, ...(firstError ? { firstError } : {}), requestsPerSecond: latencies.length / elapsed };
}
