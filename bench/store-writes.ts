import type { HttpClient } from './http-client.js';
import { summarize } from './stats.js';

/** Per-call medians over the first and the last tenth of a run of writes made one after another. */
export interface WriteGrowth {
  calls: number;
  firstMedianMs: number;
  lastMedianMs: number;
  /** last / first: 1.0 when a write costs the same however large the store has grown. */
  ratio: number;
}

function growthOf(latencies: readonly number[]): WriteGrowth {
  const tenth = Math.max(1, Math.floor(latencies.length / 10));
  const firstMedianMs = summarize(latencies.slice(0, tenth)).p50;
  const lastMedianMs = summarize(latencies.slice(-tenth)).p50;
  return { calls: latencies.length, firstMedianMs, lastMedianMs, ratio: lastMedianMs / firstMedianMs };
}

/** `count` × `PUT /api/devices/{id}` one after another, as a CSV import through the UI sends them. */
export async function measureDevicePuts(client: HttpClient, count: number): Promise<WriteGrowth> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const reply = await client.request('PUT', `/api/devices/import-${i}?api-version=2022-07-31`, { displayName: `Imported device ${i}`, simulated: true });
    if (reply.status !== 200) throw new Error(`PUT device ${i} answered ${reply.status}: ${reply.body.slice(0, 200)}`);
    latencies.push(reply.ms);
  }
  return growthOf(latencies);
}
