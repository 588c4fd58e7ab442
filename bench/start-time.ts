import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BENCH_TOKEN, spawnServe, stopChild } from './emulator-process.js';
import { HttpClient } from './http-client.js';

const POLL_EVERY_MS = 5;
const GIVE_UP_MS = 30_000;

/**
 * Milliseconds from spawning `fleetlab serve --port 0` on an empty data dir to the first 200 from GET /api/jobs.
 * The port is only known from the "listening" line, so polling starts once that line names it.
 */
export async function measureStartToFirst200(): Promise<number> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-bench-start-'));
  const started = performance.now();
  const child = spawnServe(dataDir);
  let client: HttpClient | undefined;
  try {
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /Fleetlab listening on (\S+)/.exec(chunk.toString());
      if (match && !client) client = new HttpClient(match[1]!, BENCH_TOKEN);
    });
    child.stderr!.resume();
    while (performance.now() - started < GIVE_UP_MS) {
      if (child.exitCode !== null) throw new Error(`the emulator exited with code ${child.exitCode} while starting`);
      const reply = await client?.request('GET', '/api/jobs?api-version=2022-07-31').catch(() => undefined);
      if (reply?.status === 200) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
    }
    throw new Error(`no 200 from GET /api/jobs within ${GIVE_UP_MS} ms`);
  } finally {
    client?.close();
    await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
  }
}
