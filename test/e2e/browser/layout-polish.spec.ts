import type { Locator } from '@playwright/test';
import { expect, test } from '../fixtures/emulator.js';

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error(`${locator.toString()} is not on screen`);
  return found;
}

test('cards keep their gaps, the request log controls line up, and every table header reads alike', async ({ page, emulator }) => {
  const reset = await fetch(`${emulator.url}/_fleetlab/reset`, { method: 'POST', headers: { authorization: emulator.token } });
  expect(reset.status).toBe(204);

  await page.goto(`${emulator.url}/#/templates`);
  const importCard = page.getByRole('region', { name: 'Import' });
  const empty = page.getByText('No device templates yet');
  const importBottom = (await box(importCard)).y + (await box(importCard)).height;
  expect((await box(empty)).y - importBottom).toBeGreaterThanOrEqual(16);

  await page.goto(`${emulator.url}/#/devices`);
  const deviceImport = page.getByRole('region', { name: 'Import devices' });
  const fileField = deviceImport.getByLabel('Device CSV file');
  const cardBox = await box(deviceImport);
  // Under the file field: its error line and the card's padding, not an empty paragraph's margins.
  const below = cardBox.y + cardBox.height - ((await box(fileField)).y + (await box(fileField)).height);
  expect(below).toBeLessThan(40);

  await page.goto(`${emulator.url}/#/requests`);
  const toggle = await box(page.getByText("Show the UI's own requests"));
  const clear = await box(page.getByRole('button', { name: 'Clear the log' }));
  expect(Math.abs(toggle.y + toggle.height / 2 - (clear.y + clear.height / 2))).toBeLessThanOrEqual(2);

  await page.goto(`${emulator.url}/#/tokens`);
  // An empty expiry is explained where it is typed.
  await expect(page.getByLabel('Expires (optional, 1 year if empty)')).toBeVisible();
  await page.getByLabel('Token id').fill('layout-check');
  await page.getByRole('button', { name: 'Create token' }).click();
  // The words themselves, which may sit in an element inside the header cell.
  const headerText = (name: string) => page.getByRole('columnheader', { name, exact: true }).getByText(name, { exact: true });
  await expect(page.getByRole('columnheader', { name: 'Actions' })).toBeVisible();
  const idColour = await headerText('Id').evaluate((element) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(element).color);
  await expect(headerText('Actions')).toHaveCSS('color', idColour);
});
