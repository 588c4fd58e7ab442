import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';

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
const skipReason = !electron.path
  ? `Electron binary not installed: ${electron.missing}; run \`node node_modules/electron/install.js\` with access to github.com`
  : noDisplay
    ? 'no display (DISPLAY and WAYLAND_DISPLAY are unset); run under xvfb-run or in a graphical session'
    : undefined;
if (skipReason) console.log(`Skipping the desktop app tests: ${skipReason}`);

test.describe('the desktop app', () => {
  test.skip(skipReason !== undefined, skipReason);

  let app: ElectronApplication;
  let page: Page;
  let configHome: string;

  test.beforeAll(async () => {
    for (const built of ['dist/electron/main.js', 'dist/preload/preload.js', 'dist/renderer/index.html']) {
      if (!existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: build first (npm run build).`);
    }
    // Electron puts userData (and so Fleetlab's data) under XDG_CONFIG_HOME on Linux; keep the user's own data out of it.
    configHome = await mkdtemp(path.join(tmpdir(), 'fleetlab-electron-'));
    app = await _electron.launch({
      executablePath: electron.path!,
      args: ['.'],
      cwd: ROOT,
      env: { ...process.env, XDG_CONFIG_HOME: configHome, HOME: configHome },
    });
    page = await app.firstWindow();
  });

  test.afterAll(async () => {
    await app?.close();
    if (configHome) await rm(configHome, { recursive: true, force: true });
  });

  test('opens a window showing Fleetlab and the API address', async () => {
    await expect(page.getByRole('banner')).toContainText('Fleetlab');
    const origin = new URL(page.url()).origin;
    await expect(page.getByRole('textbox', { name: 'API address' })).toHaveValue(`${origin}/api`);
  });

  test('gives the page the API origin and token and nothing of Node or Electron', async () => {
    const exposed = await page.evaluate(() => {
      const page = globalThis as unknown as Record<string, unknown> & { fleetlab?: { apiOrigin: string; token: string } };
      return {
        apiOrigin: page.fleetlab?.apiOrigin,
        hasToken: typeof page.fleetlab?.token === 'string' && page.fleetlab.token.length > 0,
        frozen: Object.isFrozen(page.fleetlab),
        node: typeof page.require + typeof page.process + typeof page.module,
      };
    });
    expect(exposed).toEqual({ apiOrigin: new URL(page.url()).origin, hasToken: true, frozen: true, node: 'undefinedundefinedundefined' });
  });

  test('keeps the window on the app: other sites neither load nor open', async () => {
    const appUrl = page.url();
    type Browser = { open(url: string): unknown; location: { href: string } };
    const refused = await page.evaluate(() => (globalThis as unknown as Browser).open('https://example.com/') === null);
    expect(refused).toBe(true);
    await page.evaluate(() => {
      (globalThis as unknown as Browser).location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(appUrl);
    expect(app.windows()).toHaveLength(1);
  });
});
