import { execFileSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { clientFor, type Call } from './engine-fleet.js';
import { ROOT, startServeProcess } from './serve-process.js';

const PROCESS_TOKEN = 'SharedAccessSignature sr=fleetlab-engine&sig=engine-secret&skn=engine&se=4102444800000';

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

/** The emulator as a real child process, with a client for it. */
export async function startEmulatorProcess(dataDir: string): Promise<EmulatorProcess> {
  const serve = await startServeProcess(dataDir, PROCESS_TOKEN);
  return {
    url: serve.url,
    call: clientFor(serve.url, PROCESS_TOKEN),
    child: serve.child,
    stderr: serve.stderr,
    exited: serve.exited,
    kill9: () => serve.signal('SIGKILL'),
    stop: () => serve.signal('SIGTERM'),
  };
}
