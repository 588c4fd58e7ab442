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

    // The app's own emulator, as the preload bridge hands it to the page: the fleet is seeded there through the API.
    const emulator = await page.evaluate<EmulatorAddress>(() => {
      const { apiOrigin, token } = (globalThis as unknown as { fleetlab: { apiOrigin: string; token: string } }).fleetlab;
      return { url: apiOrigin, token };
    });
    expect(new URL(page.url()).origin).toBe(emulator.url);
    const fleet = await seedFleet(request, emulator, 'desktop');

    // Playwright reports downloads of Electron windows from Electron 30 on (microsoft/playwright#31390).
    await runJobScenario(page, request, emulator, fleet);
  });
});
