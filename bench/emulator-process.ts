import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HttpClient } from './http-client.js';

/** The CLI built next to this file: dist/bench/run.js runs dist/electron/cli.js. */
const CLI_PATH = fileURLToPath(new URL('../electron/cli.js', import.meta.url));
export const BENCH_TOKEN = 'SharedAccessSignature sr=bench&sig=bench-secret&skn=bench&se=4102444800000';

export interface Memory {
  /** VmRSS: resident now, worker threads included (they share the process). */
  rss: number;
  /** VmHWM: the kernel's record of the highest RSS so far. */
  peak: number;
}

function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/** `fleetlab serve --port 0` as a child process with its own data dir and a fixed API token. */
export function spawnServe(dataDir: string): ChildProcess {
  return spawn(process.execPath, [CLI_PATH, 'serve', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, FLEETLAB_API_TOKEN: BENCH_TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface Emulator {
  url: string;
  pid: number;
  client: HttpClient;
  memory(): Memory;
  stop(): Promise<void>;
}

/** Starts the emulator and resolves once it prints its address. */
export async function startEmulator(dataDir: string): Promise<Emulator> {
  const child = spawnServe(dataDir);
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /Fleetlab listening on (\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited with code ${code} before listening: ${stderr.join('').trim()}`)));
  });
  const client = new HttpClient(url, BENCH_TOKEN);
  const pid = child.pid!;
  return {
    url,
    pid,
    client,
    memory: () => memoryOf(pid),
    stop: () => stopChild(child).finally(() => client.close()),
  };
}

/** SIGTERM (the emulator saves and exits), then SIGKILL when it takes longer than `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
