import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/emulator.js';
import { saveScreenshot } from '../screenshots.js';

const CURL_LINE = (url: string) => `curl -H "Authorization: $FLEETLAB_API_TOKEN" "${url}/api/jobs?api-version=2022-07-31"`;

const HAS_CURL = ['/usr/bin/curl', '/bin/curl', '/usr/local/bin/curl'].some((candidate) => existsSync(candidate));

/** Console errors and uncaught exceptions of a page; CSP violations are reported as console errors. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

test('the printed URL opens the UI once, with the API address and no token on the page', async ({ browser, emulator }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(emulator.printedUiUrl);

    await expect(page).toHaveURL(`${emulator.url}/`);
    await expect(page.getByRole('banner')).toContainText('Fleetlab');
    await expect(page.getByRole('heading', { level: 1, name: 'Connect to Fleetlab' })).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'API address' })).toHaveValue(`${emulator.url}/api`);
    await expect(page.getByRole('definition').first()).toHaveText('2022-07-31');
    await expect(page.getByRole('textbox', { name: 'Try it with curl' })).toHaveValue(CURL_LINE(emulator.url));
    await expect(page.getByRole('link', { name: 'API tokens' }).first()).toBeVisible();
    expect(await page.content()).not.toContain(emulator.token);
    await expect(page).toHaveTitle('Home · Fleetlab');

    await saveScreenshot(page, 'home');
    expect(errors).toEqual([]);

    const other = await browser.newContext();
    try {
      const again = await other.newPage();
      await again.goto(emulator.printedUiUrl);
      await expect(again.getByRole('heading', { level: 1 })).toHaveText('Open Fleetlab from the address it printed');
    } finally {
      await other.close();
    }
  } finally {
    await context.close();
  }
});

test('without a code the address says how to open the UI, and sets no cookie', async ({ browser, emulator }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const answer = await page.goto(emulator.url);
    expect(answer?.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Open Fleetlab from the address it printed');
    expect(await context.cookies()).toEqual([]);
  } finally {
    await context.close();
  }
});

test('the curl line from the Home screen works when pasted into a shell with the token in $FLEETLAB_API_TOKEN', async ({ page, emulator }) => {
  test.skip(!HAS_CURL, 'curl is not installed on this machine, so the curl line cannot be run');
  await page.goto(emulator.url);
  const curl = await page.getByRole('textbox', { name: 'Try it with curl' }).inputValue();

  const { stdout } = await promisify(execFile)('sh', ['-c', `${curl} --silent --show-error --fail-with-body`], {
    env: { ...process.env, FLEETLAB_API_TOKEN: emulator.token },
  });
  expect(JSON.parse(stdout)).toEqual({ value: [] });
});

test('Copy puts the curl line on the clipboard', async ({ page, context, emulator }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: emulator.url });
  await page.goto(emulator.url);

  await page.getByRole('button', { name: 'Copy curl command' }).click();

  await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(CURL_LINE(emulator.url));
});

test('the session cookie is refused when the request names a foreign Origin', async ({ page, playwright, emulator }) => {
  await page.goto(emulator.url);
  const infoUrl = `${emulator.url}/_fleetlab/info`;

  const sameOrigin = await page.request.get(infoUrl);
  expect(sameOrigin.status()).toBe(200);
  expect(await sameOrigin.json()).not.toHaveProperty('token');

  const foreign = await page.request.get(infoUrl, { headers: { origin: 'https://attacker.example' } });
  expect(foreign.status()).toBe(401);
  expect((await foreign.json()).error.code).toBe('Unauthorized');

  const withoutCookie = await playwright.request.newContext();
  try {
    expect((await withoutCookie.get(infoUrl)).status()).toBe(401);
  } finally {
    await withoutCookie.dispose();
  }
});

test('an unreachable API is explained in words, and Retry recovers', async ({ page, emulator }) => {
  await page.route('**/_fleetlab/info', (route) => route.abort('connectionrefused'));
  await page.goto(emulator.url);

  const alert = page.getByRole('alert').filter({ hasText: 'Fleetlab cannot reach its API' });
  await expect(alert).toContainText(`Could not reach the Fleetlab API at ${emulator.url}`);
  await expect(page.getByTestId('connection-banner')).toContainText('Fleetlab is not reachable');

  await page.unroute('**/_fleetlab/info');
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('textbox', { name: 'API address' })).toHaveValue(`${emulator.url}/api`);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('connection-banner')).toHaveText('Fleetlab is reachable again. Reload to see its current state. Reload');
});

test('the navigation works from the keyboard, and unknown addresses say so', async ({ page, emulator }) => {
  await page.goto(`${emulator.url}/#/no-such-screen`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(page).toHaveTitle('Page not found · Fleetlab');

  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Tab');
  const home = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' });
  await expect(home).toBeFocused();
  await page.keyboard.press('Enter');

  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText('Connect to Fleetlab');
  await expect(heading).toBeFocused();
  await expect(home).toHaveAttribute('aria-current', 'page');
});

test('light and dark themes follow the operating system', async ({ page, emulator }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(emulator.url);
  await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(246, 248, 250)');

  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(13, 17, 23)');
});

test('with the Electron preload bridge present, the UI calls the origin it names with its session, never a token', async ({ page, emulator }) => {
  // What electron/preload.ts exposes, set before the app's script runs; the page itself is the real build.
  const bridge = JSON.stringify({ apiOrigin: emulator.url });
  await page.addInitScript(`Object.defineProperty(window, 'fleetlab', { value: Object.freeze(${bridge}) })`);
  const infoRequest = page.waitForRequest((request) => request.url() === `${emulator.url}/_fleetlab/info`);
  await page.goto(emulator.url);

  const headers = await (await infoRequest).allHeaders();
  expect(headers.authorization).toBeUndefined();
  expect(headers.cookie).toMatch(/fleetlab_session=/);
  await expect(page.getByRole('textbox', { name: 'API address' })).toHaveValue(`${emulator.url}/api`);
});
