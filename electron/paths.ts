import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding Fleetlab's package.json, whether running from source, dist/ or a packaged app. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Fleetlab cannot find its package.json');
    dir = parent;
  }
  return dir;
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

export const rendererDir = () => path.join(packageRoot(), 'dist', 'renderer');

/** `data` inside the folder Electron uses as the desktop app's userData, so the app and the headless emulator share data. */
export function defaultDataDir(): string {
  return path.join(userDataDir(), 'data');
}

function userDataDir(): string {
  const home = process.env.HOME ?? process.env.USERPROFILE ?? '.';
  switch (process.platform) {
    case 'win32':
      return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Fleetlab');
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Fleetlab');
    default:
      return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Fleetlab');
  }
}
