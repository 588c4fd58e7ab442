import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { clientFor, type Call } from './engine-fleet.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = path.join(ROOT, 'dist', 'electron', 'cli.js');
const START_TIMEOUT_MS = 20_000;
const LISTENING = /^Fleetlab listening on (http:\/\/127\.0\.0\.1:\d+)\s*$/;

export const PROCESS_TOKEN = 'SharedAccessSignature sr=fleetlab-engine&sig=engine-secret&skn=engine&se=4102444800000';

/** Builds dist/ when it is missing or older than its sources (scripts/build.mjs decides; --quiet prints only when it builds). */
export function buildDist(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--quiet'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}

export interface EmulatorProcess {
  url: string;
  call: Call;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** SIGKILL: no shutdown handler runs, nothing is flushed. */
  kill9(): Promise<void>;
  /** SIGTERM and wait: the emulator's clean shutdown. */
  stop(): Promise<void>;
}

/** `node dist/electron/cli.js serve --port 0 --data-dir <dir>` as a real child process, resolved once it prints its address. */
export async function startEmulatorProcess(dataDir: string): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, FLEETLAB_API_TOKEN: PROCESS_TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "Fleetlab listening on" line within ${START_TIMEOUT_MS} ms: ${stderr}`)), START_TIMEOUT_MS);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const match = LISTENING.exec(line);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`the emulator exited with ${child.exitCode ?? child.signalCode} before listening: ${stderr.trim()}`));
      });
    });
    return { url, call: clientFor(url, PROCESS_TOKEN), child, stderr: () => stderr, exited, kill9: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
  } catch (error) {
    await signal('SIGKILL');
    throw error;
  }
}
