import { readFile } from 'node:fs/promises';
import type { Download, Page } from '@playwright/test';
import { expect, test } from '../fixtures/emulator.js';
import { seedFleet, type Fleet } from '../scenarios/job-scenario.js';

test.describe.configure({ mode: 'serial' });

const BIG = 1_000_000;
let fleet: Fleet;

async function downloadedLines(page: Page, click: () => Promise<void>): Promise<string[]> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]) as [Download, void];
  return (await readFile((await download.path())!, 'utf8')).split('\r\n').filter(Boolean);
}

test.beforeAll(async ({ request, emulator }) => {
  fleet = await seedFleet(request, emulator, 'dev');
  const headers = { authorization: emulator.token };
  const big = await request.post(`${emulator.url}/_fleetlab/fleet`, { headers, data: { template: fleet.template, count: BIG, idPrefix: 'big' } });
  expect(big.status(), await big.text()).toBe(201);
  const offline = await request.put(`${emulator.url}/_fleetlab/devices/big-424201/behavior`, { headers, data: { online: false } });
  expect(offline.ok()).toBe(true);
});

test('a million devices can be searched, filtered, sorted, selected and exported as a whole', async ({ page, emulator }) => {
  test.setTimeout(90_000);
  await page.goto(`${emulator.url}/#/devices`);
  const counts = page.getByTestId('device-counts');
  const grid = page.getByRole('grid', { name: 'Devices' });
  const firstRow = grid.getByRole('row').nth(1);

  await page.getByLabel('Search devices').fill('big-4242');
  await expect(counts).toHaveText(/^111 of [\d,]+ devices match · 0 selected$/);
  await expect(firstRow).toContainText('big-4242');

  await page.getByLabel('Order').selectOption('newest');
  await expect(firstRow).toContainText('big-424299');
  await page.getByLabel('Order').selectOption('oldest');

  await page.getByLabel('Connection').selectOption('offline');
  await expect(counts).toHaveText(/^1 of [\d,]+ devices match/);
  await expect(firstRow).toContainText('big-424201');
  await expect(firstRow).toContainText('Offline');
  await page.getByLabel('Connection').selectOption('');

  await page.getByLabel('Simulated or real').selectOption('false');
  await expect(grid.getByText('No device matches this filter.')).toBeVisible();
  await page.getByLabel('Simulated or real').selectOption('');

  // Select all matching, untick one: the export holds exactly the rest.
  await expect(counts).toHaveText(/^111 of/);
  await page.getByRole('button', { name: 'Select all 111 matching' }).click();
  await expect(counts).toHaveText(/· 111 selected$/);
  await grid.getByRole('checkbox', { name: 'Select big-4242', exact: true }).uncheck();
  await expect(counts).toHaveText(/· 110 selected$/);
  const selected = await downloadedLines(page, () => page.getByRole('button', { name: 'Export selected as CSV' }).click());
  expect(selected[0]).toBe('IOTC_DEVICEID,IOTC_DEVICENAME');
  expect(selected.slice(1)).toHaveLength(110);
  expect(selected).not.toContain('big-4242,big-4242');
  const matching = await downloadedLines(page, () => page.getByRole('button', { name: 'Export all 111 matching as CSV' }).click());
  expect(matching.slice(1)).toHaveLength(111);
  await expect(page.getByRole('status').filter({ hasText: 'Exported 111 devices.' })).toBeVisible();

  // The whole template at once: the export reads page after page with its progress, and can be cancelled.
  await page.getByLabel('Search devices').fill('');
  await page.getByLabel('Filter by template').selectOption(fleet.template);
  await expect(counts).toHaveText(/^1,001,000 of [\d,]+ devices match · 0 selected$/);
  await page.getByRole('button', { name: 'Export all 1,001,000 matching as CSV' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Exporting: [\d,]+ of 1,001,000 devices read$/ })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel export' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Export cancelled.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export all 1,001,000 matching as CSV' })).toBeEnabled();
});

test('the keyboard walks the whole device table: arrows, Page Down, End and Home inside the grid', async ({ page, emulator }) => {
  await page.goto(`${emulator.url}/#/devices`);
  await page.getByLabel('Search devices').fill('big-');
  const counts = page.getByTestId('device-counts');
  await expect(counts).toHaveText(/^1,000,000 of/);
  const grid = page.getByRole('grid', { name: 'Devices' });
  const focused = page.locator(':focus');

  await grid.getByRole('row').nth(1).focus();
  await expect(focused).toHaveAttribute('aria-rowindex', '2');
  await page.keyboard.press('ArrowDown');
  await expect(focused).toContainText('big-2');
  const pageScroll = await page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY);
  await page.keyboard.press('PageDown');
  await expect(focused).toHaveAttribute('aria-rowindex', '15');
  await expect(focused).toContainText('big-14');
  await page.keyboard.press('End');
  await expect(focused).toHaveAttribute('aria-rowindex', String(BIG + 1));
  await expect(focused).toContainText('big-1000000');
  await page.keyboard.press('PageUp');
  await expect(focused).toContainText('big-999988');
  await page.keyboard.press('Tab');
  await expect(focused).toHaveAccessibleName('Select big-999988');
  await page.keyboard.press('Space');
  await expect(counts).toHaveText(/· 1 selected$/);
  await page.keyboard.press('Home');
  await expect(focused).toHaveAttribute('aria-rowindex', '2');
  await expect(focused).toContainText('big-1');
  // The keys moved inside the grid, not the page.
  expect(await page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY)).toBe(pageScroll);
});
