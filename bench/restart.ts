import { startEmulator } from './emulator-process.js';

/** Milliseconds from spawning the emulator on `dataDir` to the first 200 for the job, and the job's status then. */
export async function measureRestart(dataDir: string, jobId: string): Promise<{ ms: number; status: string }> {
  const started = performance.now();
  const emulator = await startEmulator(dataDir);
  try {
    const reply = await emulator.client.request('GET', `/api/jobs/${jobId}?api-version=2022-07-31`);
    if (reply.status !== 200) throw new Error(`GET /api/jobs/${jobId} after the restart answered ${reply.status}: ${reply.body.slice(0, 300)}`);
    return { ms: performance.now() - started, status: (JSON.parse(reply.body) as { status: string }).status };
  } finally {
    await emulator.stop();
  }
}
