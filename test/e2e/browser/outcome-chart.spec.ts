import { apiPut } from '../fixtures/api-put.js';
import { expect, test } from '../fixtures/emulator.js';

const CENTRAL = 'api-version=2022-07-31';
const TEMPLATE = 'dtmi:fleetlab:e2e:charted;1';

test("a small job's outcomes chart has count and time ticks, and a job without batches shows no batch list", async ({ page, request, emulator }) => {
  const headers = { authorization: emulator.token };
  const put = apiPut(request, emulator);
  await put(`/api/deviceTemplates/${encodeURIComponent(TEMPLATE)}?${CENTRAL}`, {
    '@type': ['ModelDefinition', 'DeviceModel'],
    displayName: 'Charted',
    capabilityModel: { '@id': 'dtmi:fleetlab:e2e:chartedModel;1', '@type': 'Interface', contents: [{ '@type': 'Property', name: 'level', schema: 'double', writable: true }] },
  });
  expect((await request.post(`${emulator.url}/_fleetlab/fleet`, { headers, data: { template: TEMPLATE, count: 3, idPrefix: 'charted' } })).status()).toBe(201);
  await put(`/_fleetlab/templates/${encodeURIComponent(TEMPLATE)}/behavior`, { propertyFailureRate: 0, offlineRate: 0, latencyMs: { min: 200, max: 900 } });
  await put(`/api/deviceGroups/charted-group?${CENTRAL}`, { displayName: 'Charted', filter: `SELECT * FROM devices WHERE $template = "${TEMPLATE}"` });
  await put('/_fleetlab/simulation', { timeScale: 0 });
  await put(`/api/jobs/charted-job?${CENTRAL}`, { displayName: 'Charted job', group: 'charted-group', data: [{ type: 'property', target: TEMPLATE, path: 'level', value: 1 }] });

  await page.goto(`${emulator.url}/#/jobs/details/charted-job`);
  await expect(page.getByTestId('job-status')).toHaveText('complete', { timeout: 20_000 });
  const progress = page.getByRole('region', { name: 'Progress' });
  await expect(progress.getByRole('img', { name: /3 completed, 0 failed of 3/ })).toBeVisible();
  // Three devices: whole counts up to 3, not fractions of a device and not one tick for the whole job.
  await expect(page.getByTestId('chart-y-ticks')).toHaveText(['0', '1', '2', '3'].join(''));
  const timeTicks = page.getByTestId('chart-x-ticks').locator('span');
  await expect(timeTicks.first()).toHaveText('0 s');
  expect(await timeTicks.count()).toBeGreaterThanOrEqual(2);
  await expect(timeTicks.nth(1)).toHaveText(/^\d+(\.\d+)? s$/);
  await expect(progress.getByText('Simulated time since the first outcome')).toBeVisible();
  await expect(progress.getByRole('heading', { name: 'Batches' })).toHaveCount(0);
});
