import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = path.join(ROOT, 'dist', 'electron', 'cli.js');
const START_TIMEOUT_MS = 20_000;
const LISTENING = /^Fleetlab listening on (https?:\/\/127\.0\.0\.1:\d+)\s*$/;
const UI_ADDRESS = /^Open the UI at (https?:\/\/\S+\/\?code=\S+)\s*$/;

export interface ServeProcess {
  url: string;
  /** The one-time UI address printed after the listening line: it signs one browser in, once. */
  uiUrl: string;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Everything the process wrote to stdout so far. */
  stdout(): string;
  /** Sends the signal (when the process still runs) and waits for the exit. */
  signal(name: NodeJS.Signals): Promise<void>;
}

/** Emulator processes that ended without being asked to (an uncaught exception or unhandled rejection ends Node). */
export const unexpectedExits: string[] = [];

/**
 * `node dist/electron/cli.js serve --port 0 --data-dir <dir>` (or another port, to restart on the same address) as a user runs it, resolved once it prints its address;
 * shared by the API tests that need a real process and the Playwright fixture. Dependency-free so both runners load it.
 */
export interface ServeOptions {
  /** More `fleetlab serve` flags. */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** 0 picks a free one; a restart on the same address passes the one it had. */
  port?: number;
}

export async function startServeProcess(dataDir: string, token: string, { args = [], env = {}, port = 0 }: ServeOptions = {}): Promise<ServeProcess> {
  // A fixed --port would put the device broker on 8883, which concurrent tests (and other emulators) share.
  const mqtt = port !== 0 && !args.includes('--mqtt-port') ? ['--mqtt-port', '0'] : [];
  const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--data-dir', dataDir, ...mqtt, ...args], {
    cwd: ROOT,
    env: { ...process.env, FLEETLAB_API_TOKEN: token, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  let stdout = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let asked = false;
  const signal = async (name: NodeJS.Signals) => {
    asked = true;
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  try {
    const { url, uiUrl } = await new Promise<{ url: string; uiUrl: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "Fleetlab listening on" line within ${START_TIMEOUT_MS} ms: ${stderr}`)), START_TIMEOUT_MS);
      let url: string | undefined;
      createInterface({ input: child.stdout! }).on('line', (line) => {
        stdout += `${line}\n`;
        // The listening line comes first, exactly as CI scripts expect it; the UI address follows on its own line.
        if (url === undefined) url = LISTENING.exec(line)?.[1];
        const uiUrl = url === undefined ? undefined : UI_ADDRESS.exec(line)?.[1];
        if (url !== undefined && uiUrl !== undefined) {
          clearTimeout(timer);
          resolve({ url, uiUrl });
        }
      });
      child.once('exit', () => {
        clearTimeout(timer);
        reject(new Error(`the emulator exited with ${child.exitCode ?? child.signalCode} before listening: ${stderr.trim()}`));
      });
    });
    child.once('exit', () => {
      if (!asked) unexpectedExits.push(`the emulator on ${url} exited by itself (${child.exitCode ?? child.signalCode}): ${stderr.trim().slice(-2000)}`);
    });
    return { url, uiUrl, child, exited, stderr: () => stderr, stdout: () => stdout, signal };
  } catch (error) {
    await signal('SIGKILL');
    throw error;
  }
}
