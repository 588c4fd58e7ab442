#!/usr/bin/env node
// `npm start`: the desktop app when Electron can run here, else the headless emulator with the same UI.
// Plain Node: it never imports 'electron', whose index.js throws when the binary is missing.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { runHeadless } from './headless.js';
import { downloadFailure, headlessReason, WINDOW_READY_LINE, type LaunchFacts } from './launch-plan.js';
import { defaultDataDir, packageRoot } from './paths.js';

const HEADLESS_PORT = 4780;
const DOWNLOAD_TIMEOUT_MS = 180_000;
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

async function main(): Promise<void> {
  const facts: LaunchFacts = { platform: process.platform, env: process.env };
  if (headlessReason(facts) !== undefined) return serveHeadless(facts);
  const electron = await findOrDownloadElectron();
  if ('missing' in electron) return serveHeadless({ ...facts, missingBinary: electron.missing });
  const earlyExit = await runElectron(electron.binary);
  if (headlessReason({ ...facts, earlyExit }) !== undefined) return serveHeadless({ ...facts, earlyExit });
  process.exit(earlyExit.code ?? 0);
}

function electronDir(): string | undefined {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

/** The path electron's own index.js would return, or undefined where it would throw. */
function electronBinary(dir: string): string | undefined {
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const relative = readFileSync(pathFile, 'utf8');
  const binary = process.env.ELECTRON_OVERRIDE_DIST_PATH
    ? path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative)
    : path.join(dir, 'dist', relative);
  return existsSync(binary) ? binary : undefined;
}

/** When the binary is missing, runs electron's own install.js as `npm install` would have. */
async function findOrDownloadElectron(): Promise<{ binary: string } | { missing: string }> {
  const dir = electronDir();
  if (!dir) return { missing: 'the electron package is not in node_modules; run `npm install`' };
  const installed = electronBinary(dir);
  if (installed) return { binary: installed };

  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return { missing: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' };
  console.log('Fleetlab: fetching the Electron binary…');
  const outcome = await new Promise<{ timedOut: boolean; exitCode: number | null; output: string }>((resolve) => {
    execFile(process.execPath, [path.join(dir, 'install.js')], { timeout: DOWNLOAD_TIMEOUT_MS }, (error, _stdout, stderr) => {
      const failure = error as (Error & { code?: number | string; killed?: boolean }) | null;
      resolve({ timedOut: failure?.killed === true, exitCode: typeof failure?.code === 'number' ? failure.code : failure ? null : 0, output: stderr });
    });
  });
  const downloaded = electronBinary(dir);
  if (downloaded) return { binary: downloaded };
  return { missing: downloadFailure(outcome) };
}

/**
 * Runs the desktop app until it exits. Its stdout is passed through; its stderr (mostly Chromium's noise) only once
 * the window is up, and before that its last line is kept to explain an early exit.
 */
function runElectron(binary: string): Promise<NonNullable<LaunchFacts['earlyExit']>> {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [packageRoot()], { env, stdio: ['inherit', 'pipe', 'pipe'] });
  let interrupted = false;
  const forward = (signal: NodeJS.Signals) => {
    interrupted = true;
    child.kill(signal);
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);

  let ready = false;
  let lastMessage: string | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith(WINDOW_READY_LINE)) ready = true;
    console.log(line);
  });
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (ready) console.error(line);
    else if (line.trim()) lastMessage = line.trim();
  });

  return new Promise((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null, message = lastMessage) => {
      for (const forwarded of FORWARDED_SIGNALS) process.off(forwarded, forward);
      // Once the window was up, or the user stopped it, the exit is Electron's own outcome, not a reason to fall back.
      resolve(ready || interrupted ? { code: code ?? 1, signal: null } : { code, signal, lastMessage: message });
    };
    child.once('error', (error) => finish(null, null, error.message));
    child.once('exit', (code, signal) => finish(code, signal));
  });
}

async function serveHeadless(facts: LaunchFacts): Promise<void> {
  console.log(headlessReason(facts));
  await runHeadless({
    port: await preferredPortOrFree(HEADLESS_PORT),
    host: '127.0.0.1',
    dataDir: defaultDataDir(),
    apiToken: process.env.FLEETLAB_API_TOKEN || undefined,
  });
}

function preferredPortOrFree(port: number): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(0));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(port)));
  });
}

main().catch((error: unknown) => {
  console.error(`Fleetlab: ${(error as Error).message.split('\n')[0]}`);
  process.exit(1);
});
