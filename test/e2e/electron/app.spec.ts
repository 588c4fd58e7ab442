import { expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { launchDesktopApp, skipReason, type DesktopApp } from './desktop-app.js';

if (skipReason) console.log(`Skipping the desktop app tests: ${skipReason}`);

test.describe('the desktop app', () => {
  test.skip(skipReason !== undefined, skipReason);

  let desktop: DesktopApp;
  let app: ElectronApplication;
  let page: Page;

  test.beforeAll(async () => {
    desktop = await launchDesktopApp();
    ({ app, page } = desktop);
  });

  test.afterAll(async () => {
    await desktop?.close();
  });

  test('opens a window showing Fleetlab and the API address', async () => {
    await expect(page.getByRole('banner')).toContainText('Fleetlab');
    const origin = new URL(page.url()).origin;
    await expect(page.getByRole('textbox', { name: 'API address' })).toHaveValue(`${origin}/api`);
  });

  test('gives the page the API origin, no token, and nothing of Node or Electron; its session signs the window in', async () => {
    const exposed = await page.evaluate(() => {
      const page = globalThis as unknown as Record<string, unknown> & { fleetlab?: Record<string, unknown> };
      return {
        bridge: Object.keys(page.fleetlab ?? {}),
        apiOrigin: page.fleetlab?.apiOrigin,
        frozen: Object.isFrozen(page.fleetlab),
        node: typeof page.require + typeof page.process + typeof page.module,
      };
    });
    expect(exposed).toEqual({ bridge: ['apiOrigin'], apiOrigin: new URL(page.url()).origin, frozen: true, node: 'undefinedundefinedundefined' });
    // The one-time code the window was opened with is gone from its address once redeemed.
    expect(new URL(page.url()).search).toBe('');
  });

  test('keeps the window on the app: other sites neither load nor open', async () => {
    const appUrl = page.url();
    type Browser = { open(url: string): unknown; location: { href: string } };
    const refused = await page.evaluate(() => (globalThis as unknown as Browser).open('https://example.com/') === null);
    expect(refused).toBe(true);
    // The main process hears of the navigation before it would start; once its handler has run, the page stays.
    type Main = { attempted?: Promise<string> };
    await app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]!.webContents;
      (globalThis as unknown as Main).attempted = new Promise((resolve) => contents.once('will-frame-navigate', (event) => resolve(event.url)));
    });
    await page.evaluate(() => {
      (globalThis as unknown as Browser).location.href = 'https://example.com/';
    });
    expect(await app.evaluate(() => (globalThis as unknown as Main).attempted)).toBe('https://example.com/');
    expect(page.url()).toBe(appUrl);
    expect(app.windows()).toHaveLength(1);
  });
});
