import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startServeProcess, type ServeProcess } from '../../helpers/serve-process.js';
import { E2E_TOKEN, freshUiUrl, signIn } from '../fixtures/emulator.js';

test('one banner says when the emulator is unreachable, and after its restart how to get back in', async ({ page, context }) => {
  test.setTimeout(60_000);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-e2e-restart-'));
  let serve: ServeProcess | undefined;
  try {
    serve = await startServeProcess(dataDir, E2E_TOKEN);
    const { url } = serve;
    await signIn(context, serve.uiUrl);
    await page.goto(`${url}/#/groups`);
    await expect(page.getByRole('heading', { level: 1, name: 'Device groups' })).toBeVisible();
    const banner = page.getByTestId('connection-banner');
    await expect(banner).toHaveCount(0);

    await serve.signal('SIGTERM');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
    await expect(banner).toHaveText(`Fleetlab is not reachable at ${url}. What this page shows may be out of date; it tries again every few seconds.`);
    await expect(page.getByRole('alert').filter({ hasText: 'not reachable' })).toHaveCount(1);

    // The same address and data: the banner notices by itself that it answers again, and that this session ended.
    serve = await startServeProcess(dataDir, E2E_TOKEN, { port: Number(new URL(url).port) });
    await expect(banner).toContainText('Fleetlab restarted. A restart ends every browser\'s sign-in', { timeout: 10_000 });
    await signIn(context, await freshUiUrl({ url, token: E2E_TOKEN, printedUiUrl: serve.uiUrl }));
    await banner.getByRole('button', { name: 'Reload' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Devices' })).toBeVisible();
    await expect(banner).toHaveCount(0);
  } finally {
    await serve?.signal('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  }
});
