import { expect, test } from '@playwright/test';
import { runJobScenario, seedFleet, type EmulatorAddress } from '../scenarios/job-scenario.js';
import { launchDesktopApp, skipReason, type DesktopApp } from './desktop-app.js';

if (skipReason) console.log(`Skipping the desktop app job scenario: ${skipReason}`);

test.describe('the desktop app runs a job end to end', () => {
  test.skip(skipReason !== undefined, skipReason);

  let desktop: DesktopApp | undefined;

  test.afterEach(async () => {
    await desktop?.close();
  });

  test('a property job with batches and a threshold, from the wizard to its CSV, with stop, resume and rerun', async ({ request }) => {
    test.setTimeout(150_000);
    desktop = await launchDesktopApp();
    const { page } = desktop;
    await expect(page.getByRole('banner')).toContainText('Fleetlab');

    // The app's own emulator, as the preload bridge names it; the window holds no token, so the test makes one with
    // the window's session, as a user does on the API tokens screen, and seeds the fleet with it.
    const emulator = await page.evaluate<EmulatorAddress>(async () => {
      const { apiOrigin } = (globalThis as unknown as { fleetlab: { apiOrigin: string } }).fleetlab;
      const created = await fetch(`${apiOrigin}/api/apiTokens/desktop-e2e?api-version=2022-07-31`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ roles: [{ role: 'ca310b8d-2f4a-44e0-a36e-957c202cd8d4' }] }),
      });
      return { url: apiOrigin, token: ((await created.json()) as { token: string }).token };
    });
    expect(new URL(page.url()).origin).toBe(emulator.url);
    const fleet = await seedFleet(request, emulator, 'desktop');

    // Playwright reports downloads of Electron windows from Electron 30 on (microsoft/playwright#31390).
    await runJobScenario(page, request, emulator, fleet);
  });
});
