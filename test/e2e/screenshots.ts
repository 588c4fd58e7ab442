import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';

/** `npm run screenshots` sets it; a plain test run never rewrites the README's screenshots. */
const WANTED = process.env.FLEETLAB_SCREENSHOTS === '1';

/** Saves the page as the README's docs/screenshots/<name>.png, when screenshots were asked for. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  if (!WANTED) return;
  await page.screenshot({ path: fileURLToPath(new URL(`../../docs/screenshots/${name}.png`, import.meta.url)), fullPage: true });
}
