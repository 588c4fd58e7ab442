import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_WINDOW_SIZE,
  isAppUrl,
  loadWindowSize,
  saveWindowSize,
  windowOptions,
} from '../../electron/window.js';

const exposeInMainWorld = vi.fn();
vi.mock('electron', () => ({ contextBridge: { exposeInMainWorld } }));

const APP = 'http://127.0.0.1:43123';

describe('windowOptions', () => {
  const options = windowOptions({ preloadPath: '/app/dist/preload/preload.js', bounds: { width: 1000, height: 700 }, apiOrigin: APP });

  it('follows the Electron security checklist', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/preload/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    });
    expect(options.webPreferences?.allowRunningInsecureContent).not.toBe(true);
    expect(options).toMatchObject({ width: 1000, height: 700 });
  });

  it('puts no credential on the command line, where every local user can read it', () => {
    expect(decodeURIComponent((options.webPreferences?.additionalArguments ?? []).join(' '))).not.toMatch(/token|SharedAccessSignature|sig=/i);
  });

  describe('the preload, given those arguments', () => {
    const originalArgv = process.argv;
    beforeEach(() => {
      vi.resetModules();
      exposeInMainWorld.mockClear();
    });
    afterEach(() => {
      process.argv = originalArgv;
    });

    it('exposes exactly { apiOrigin }, frozen, as window.fleetlab: no credential', async () => {
      process.argv = ['/opt/Fleetlab/fleetlab', '--type=renderer', ...(options.webPreferences?.additionalArguments ?? [])];
      await import('../../electron/preload.js');
      expect(exposeInMainWorld).toHaveBeenCalledTimes(1);
      const [key, value] = exposeInMainWorld.mock.calls[0] as [string, unknown];
      expect(key).toBe('fleetlab');
      expect(value).toEqual({ apiOrigin: APP });
      expect(Object.isFrozen(value)).toBe(true);
    });

    it('exposes nothing when started without them', async () => {
      process.argv = ['/opt/Fleetlab/fleetlab', '--type=renderer'];
      await import('../../electron/preload.js');
      expect(exposeInMainWorld).not.toHaveBeenCalled();
    });
  });
});

describe('isAppUrl', () => {
  it.each([
    [`${APP}/`, true],
    [`${APP}/jobs?x=1#top`, true],
    ['http://127.0.0.1:43124/', false],
    ['http://localhost:43123/', false],
    ['https://127.0.0.1:43123/', false],
    ['https://example.com/', false],
    ['file:///etc/passwd', false],
    ['data:text/html,<script>1</script>', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('%s -> %s', (url, allowed) => {
    expect(isAppUrl(url, APP)).toBe(allowed);
  });
});

describe('remembered window size', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fleetlab-window-'));
    file = path.join(dir, 'nested', 'window-state.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('defaults when nothing was saved', () => {
    expect(loadWindowSize(file)).toEqual(DEFAULT_WINDOW_SIZE);
  });

  it('comes back as it was saved', () => {
    saveWindowSize(file, { width: 1111, height: 777 });
    expect(loadWindowSize(file)).toEqual({ width: 1111, height: 777 });
  });

  it('is clamped to sane values', async () => {
    saveWindowSize(file, { width: 10, height: 100_000 });
    const saved = loadWindowSize(file);
    expect(saved.width).toBeGreaterThanOrEqual(800);
    expect(saved.height).toBeLessThanOrEqual(4320);
    await writeFile(file, JSON.stringify({ width: 'wide', height: null }));
    expect(loadWindowSize(file)).toEqual(DEFAULT_WINDOW_SIZE);
  });

  it('ignores a corrupt file, and saving replaces it', async () => {
    saveWindowSize(file, { width: 1200, height: 900 });
    await writeFile(file, '{"width": 12');
    expect(loadWindowSize(file)).toEqual(DEFAULT_WINDOW_SIZE);
    saveWindowSize(file, { width: 1300, height: 950 });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ width: 1300, height: 950 });
  });
});
