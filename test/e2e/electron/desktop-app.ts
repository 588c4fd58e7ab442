import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from '@playwright/test';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The binary electron's own index.js would name, found without importing it (it throws when the binary is missing). */
function electronBinary(): { path?: string; missing?: string } {
  const dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return { missing: `${path.relative(ROOT, pathFile)} is absent (the download in electron's install step did not run or failed)` };
  const binary = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(dir, 'dist'), readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? { path: binary } : { missing: `${binary} does not exist` };
}

const electron = electronBinary();
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

/** Why the desktop app cannot be launched here, or undefined when it can; printed once per spec file that skips. */
export const skipReason = !electron.path
  ? `Electron binary not installed: ${electron.missing}; run \`node node_modules/electron/install.js\` with access to github.com`
  : noDisplay
    ? 'no display (DISPLAY and WAYLAND_DISPLAY are unset); run under xvfb-run or in a graphical session'
    : undefined;

export interface DesktopApp {
  app: ElectronApplication;
  /** The app's one window, showing the UI its own emulator serves. */
  page: Page;
  close(): Promise<void>;
}

/** Launches the built app as `npm start` would, on a data dir of its own that `close` removes. */
export async function launchDesktopApp(): Promise<DesktopApp> {
  // Electron starts the package's `main` (the shell's main.js), which finds the preload at dist/preload/.
  const { main } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string };
  for (const built of [main, 'dist/preload/preload.js', 'dist/renderer/index.html']) {
    if (!existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: build first (npm run build).`);
  }
  // Electron puts userData (and so Fleetlab's data) under XDG_CONFIG_HOME on Linux; keep the user's own data out of it.
  const configHome = await mkdtemp(path.join(tmpdir(), 'fleetlab-electron-'));
  let app: ElectronApplication | undefined;
  const close = async () => {
    await app?.close();
    await rm(configHome, { recursive: true, force: true });
  };
  try {
    app = await _electron.launch({
      executablePath: electron.path!,
      args: ['.'],
      cwd: ROOT,
      env: { ...process.env, XDG_CONFIG_HOME: configHome, HOME: configHome },
    });
    return { app, page: await app.firstWindow(), close };
  } catch (error) {
    await close();
    throw error;
  }
}
