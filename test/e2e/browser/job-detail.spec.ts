import { readFile } from 'node:fs/promises';
import type { APIRequestContext } from '@playwright/test';
import { expect, test, type Emulator } from '../fixtures/emulator.js';
import { seedFleet, type Fleet } from '../scenarios/job-scenario.js';

test.describe.configure({ mode: 'serial' });

const CENTRAL = 'api-version=2022-07-31';
const JOB = 'per-batch-threshold';

async function putJob(request: APIRequestContext, { url, token }: Emulator, path: string, data?: unknown) {
  const res = await request.put(`${url}/api/jobs/${path}?${CENTRAL}`, { headers: { authorization: token }, ...(data !== undefined && { data }) });
  expect(res.ok(), await res.text()).toBe(true);
}

/** 1,000 devices of which about 30 % fail a property update, in virtual time; a job cancelled by its per-batch threshold in batch 1. */
async function cancelledJob(request: APIRequestContext, emulator: Emulator): Promise<Fleet> {
  const fleet = await seedFleet(request, emulator, 'thr');
  const sim = await request.put(`${emulator.url}/_fleetlab/simulation`, {
    headers: { authorization: emulator.token },
    data: { timeScale: 0, seed: 7, defaults: { propertyFailureRate: 0.3, offlineRate: 0, latencyMs: { min: 10, max: 50 } } },
  });
  expect(sim.ok()).toBe(true);
  await putJob(request, emulator, JOB, {
    displayName: 'Per-batch threshold job',
    group: fleet.group,
    batch: { type: 'percentage', value: 10 },
    cancellationThreshold: { type: 'percentage', value: 5, batch: true },
    data: [{ type: 'property', target: fleet.template, path: 'targetTemperature', value: 21 }],
  });
  return fleet;
}

test('a cancelled job shows its settings, why it was cancelled with the numbers, and the devices it never ran', async ({ page, request, emulator }) => {
  await cancelledJob(request, emulator);
  await page.goto(`${emulator.url}/#/jobs/details/${JOB}`);
  await expect(page.getByTestId('job-status')).toHaveText('cancelled', { timeout: 20_000 });

  const settings = page.getByRole('definition');
  await expect(settings.filter({ hasText: 'of the devices per batch' })).toHaveText('10 % of the devices per batch (10 batches of up to 100).');
  await expect(settings.filter({ hasText: 'Cancel when' })).toHaveText('Cancel when more than 5 % of the devices fail in any one batch.');
  await expect(page.getByTestId('cancellation-reason')).toHaveText(/^Cancelled by the threshold: \d+ of 100 failed in batch 1 \(limit 5\)\.$/);
  await expect(page.getByTestId('job-counts')).toContainText('900 not run (job cancelled) of 1,000');
  await expect(page.getByRole('listitem').filter({ hasText: 'Batch 2' })).toContainText('0 completed · 0 failed · 100 not run');

  // The devices never attempted read as such; the API keeps IoT Central's "pending".
  await page.getByLabel('Device status').selectOption('pending');
  await expect(page.getByRole('status').filter({ hasText: '900 devices' })).toBeVisible();
  const table = page.getByRole('grid', { name: 'Devices of this job' });
  await expect(table.getByRole('row').nth(1)).toContainText('not run — job cancelled');
  const apiPage = await request.get(`${emulator.url}/_fleetlab/jobs/${JOB}/devices?status=pending&limit=1`, { headers: { authorization: emulator.token } });
  expect((await apiPage.json()).devices[0].status).toBe('pending');

  // A rerun names the job it reruns, with a link back.
  await putJob(request, emulator, `${JOB}/rerun/${JOB}-rerun`);
  await page.goto(`${emulator.url}/#/jobs/details/${JOB}-rerun`);
  await page.getByRole('link', { name: JOB }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Per-batch threshold job' })).toBeVisible();
  await expect(page.getByTestId('cancellation-reason')).toBeVisible();
});

test('a slow answer to an old filter never wins over the filter the user ended on', async ({ page, emulator }) => {
  await page.goto(`${emulator.url}/#/jobs/details/${JOB}`);
  const count = page.getByRole('status').filter({ hasText: /devices?$|Loading devices/ });
  await page.getByLabel('Search device id').fill('thr-1');
  await expect(count).toHaveText('112 devices');
  const failedAndSearched = page.waitForResponse(/\/devices\?.*status=failed&search=thr-1/);
  await page.getByLabel('Device status').selectOption('failed');
  await failedAndSearched;
  await expect(count).toHaveText(/^\d+ devices?$/);

  // Answers to requests that still carry the search are held back until the final filter has been answered.
  let releaseStale!: () => void;
  const staleHeld = new Promise<void>((resolve) => (releaseStale = resolve));
  let staleRequests = 0;
  await page.route(/\/_fleetlab\/jobs\/[^/]+\/devices\?.*search=/, async (route) => {
    staleRequests++;
    await staleHeld;
    await route.continue();
  });
  const staleAnswered = page.waitForResponse(/\/devices\?.*search=/);

  await page.getByLabel('Device status').selectOption('');
  await page.getByLabel('Search device id').fill('');
  await expect(count).toHaveText('1,000 devices');
  expect(staleRequests).toBeGreaterThan(0);
  releaseStale();
  await staleAnswered;
  await expect(count).toHaveText('1,000 devices');
  await expect(page.getByRole('grid', { name: 'Devices of this job' }).getByRole('row').nth(1)).toContainText('thr-1');
});

test('cells a spreadsheet would run as formulas are written with a leading quote', async ({ page, request, emulator }) => {
  const fleet = await seedFleet(request, emulator, 'fx');
  await putJob(request, emulator, 'csv-formula', {
    displayName: '=1+2',
    description: '@SUM(1)',
    group: fleet.group,
    data: [{ type: 'property', target: fleet.template, path: 'targetTemperature', value: 20 }],
  });
  await page.goto(`${emulator.url}/#/jobs/details/csv-formula`);
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download summary' }).click();
  const lines = (await readFile((await (await downloading).path())!, 'utf8')).split('\r\n');
  expect(lines[1]).toMatch(/^csv-formula,"'=1\+2","'@SUM\(1\)",/);
});
