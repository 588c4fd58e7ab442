import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process.js';
import { send, type WireAnswer } from './wire.js';

export const FUZZ_TOKEN = 'SharedAccessSignature sr=fleetlab-fuzz&sig=fuzz-secret&skn=fuzz&se=4102444800000';
/** The control API may add fleets: a cap keeps a generated `count` from filling the disk of a shared machine. */
const FUZZ_ARGS = ['--max-devices', '5000'];

export interface FuzzEmulator {
  url: string;
  dataDir: string;
  serve: ServeProcess;
  /** A JSON request with the admin token. */
  call(method: string, pathAndQuery: string, body?: unknown): Promise<WireAnswer>;
  /** Stops the process (SIGTERM) and starts another on the same data dir. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** `fleetlab serve` on a free port with a temporary data dir, as a user runs it. */
export async function startFuzzEmulator(args: string[] = []): Promise<FuzzEmulator> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-fuzz-'));
  const start = () => startServeProcess(dataDir, FUZZ_TOKEN, { args: [...FUZZ_ARGS, ...args] });
  let serve = await start();
  const emulator: FuzzEmulator = {
    get url() {
      return serve.url;
    },
    dataDir,
    get serve() {
      return serve;
    },
    call: (method, pathAndQuery, body) =>
      send(serve.url, {
        method,
        path: pathAndQuery,
        headers: { authorization: FUZZ_TOKEN, ...(body !== undefined && { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    restart: async () => {
      await serve.signal('SIGTERM');
      serve = await start();
    },
    stop: async () => {
      await serve.signal('SIGTERM');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return emulator;
}

/** Throws unless the process still runs and its control API answers: the property every fuzz file checks last. */
export async function expectAnswering(emulator: FuzzEmulator): Promise<void> {
  const { child } = emulator.serve;
  if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the emulator exited: ${emulator.serve.stderr().slice(-2000)}`);
  const info = await emulator.call('GET', '/_fleetlab/info');
  if (info.status !== 200) throw new Error(`GET /_fleetlab/info answered ${info.status}: ${info.body.slice(0, 300)}`);
}

/** Expects the call to answer `status`, for setting fixtures up. */
export async function expectCall(emulator: FuzzEmulator, status: number, method: string, pathAndQuery: string, body?: unknown): Promise<unknown> {
  const answer = await emulator.call(method, pathAndQuery, body);
  if (answer.status !== status) throw new Error(`${method} ${pathAndQuery}: ${answer.status}, expected ${status}: ${answer.body.slice(0, 500)}`);
  return answer.body === '' ? undefined : JSON.parse(answer.body);
}

/** Waits (with a deadline) until `check` stops throwing. */
export function eventually<T>(check: () => Promise<T>, timeout = 20_000): Promise<T> {
  return vi.waitFor(check, { timeout, interval: 50 });
}
