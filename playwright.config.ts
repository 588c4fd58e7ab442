import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/** The distribution's Chromium (`apt-get install -y chromium`); Playwright's own download is the fallback. */
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export default defineConfig({
  workers: 2,
  retries: 0,
  reporter: 'list',
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  projects: [
    {
      name: 'browser',
      testDir: 'test/e2e/browser',
      use: {
        browserName: 'chromium',
        headless: true,
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
    {
      name: 'electron',
      testDir: 'test/e2e/electron',
    },
  ],
});
