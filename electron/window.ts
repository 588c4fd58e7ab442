import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The argument that carries `{ apiOrigin }` to the preload; preload.ts reads the same name. No credential travels
 * this way: arguments are readable by every local user (/proc/<pid>/cmdline). The window signs in with a one-time
 * code URL instead (electron/main.ts).
 */
const BRIDGE_ARGUMENT = '--fleetlab-bridge=';

export interface WindowSize {
  width: number;
  height: number;
}

export interface WindowOptionsInput {
  preloadPath: string;
  bounds: WindowSize;
  apiOrigin: string;
}

export const DEFAULT_WINDOW_SIZE: WindowSize = { width: 1280, height: 820 };
const MIN_SIZE: WindowSize = { width: 800, height: 560 };
const MAX_SIZE: WindowSize = { width: 7680, height: 4320 };

export function windowOptions({ preloadPath, bounds, apiOrigin }: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Fleetlab',
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      additionalArguments: [BRIDGE_ARGUMENT + encodeURIComponent(JSON.stringify({ apiOrigin }))],
    },
  };
}

/** Only pages of the app's own origin may load in its windows; everything else (other sites, file:, data:) is refused. */
export function isAppUrl(url: string, appOrigin: string): boolean {
  try {
    return new URL(url).origin === new URL(appOrigin).origin;
  } catch {
    return false;
  }
}

/** Any remembered size that is missing, unreadable or absurd falls back to a sane one. */
function normalizeWindowSize(value: unknown): WindowSize {
  const saved = (value && typeof value === 'object' ? value : {}) as Partial<Record<keyof WindowSize, unknown>>;
  return {
    width: clamp(saved.width, MIN_SIZE.width, MAX_SIZE.width, DEFAULT_WINDOW_SIZE.width),
    height: clamp(saved.height, MIN_SIZE.height, MAX_SIZE.height, DEFAULT_WINDOW_SIZE.height),
  };
}

function clamp(value: unknown, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.round(Math.min(max, Math.max(min, value)));
}

/** A missing or corrupt file only costs the remembered size. */
export function loadWindowSize(file: string): WindowSize {
  try {
    return normalizeWindowSize(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return { ...DEFAULT_WINDOW_SIZE };
  }
}

export function saveWindowSize(file: string, size: WindowSize): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(normalizeWindowSize(size)) + '\n');
}
