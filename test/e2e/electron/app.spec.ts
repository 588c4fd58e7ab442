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
