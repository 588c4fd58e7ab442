import { apiPut } from '../fixtures/api-put.js';
import { expect, test } from '../fixtures/emulator.js';

const CENTRAL = 'api-version=2022-07-31';
const TEMPLATE = 'dtmi:fleetlab:e2e:named;1';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request, emulator }) => {
  const headers = { authorization: emulator.token };
  const put = apiPut(request, emulator);
  await put(`/api/deviceTemplates/${encodeURIComponent(TEMPLATE)}?${CENTRAL}`, {
    '@type': ['ModelDefinition', 'DeviceModel'],
    displayName: 'Test Thermostat',
    capabilityModel: {
      '@id': 'dtmi:fleetlab:e2e:namedModel;1',
      '@type': 'Interface',
      contents: [
        { '@type': 'Property', name: 'targetTemperature', displayName: 'Target temperature', schema: 'double', writable: true },
        {
          '@type': 'Command',
          name: 'setMode',
          displayName: 'Set mode',
          request: { name: 'mode', schema: 'string' },
          response: { name: 'result', schema: { '@type': 'Object', fields: [{ name: 'ok', schema: 'boolean' }] } },
        },
      ],
    },
  });
  expect((await request.post(`${emulator.url}/_fleetlab/fleet`, { headers, data: { template: TEMPLATE, count: 3, idPrefix: 'named' } })).status()).toBe(201);
  await put(`/api/deviceGroups/named-group?${CENTRAL}`, { displayName: 'Named thermostats', filter: `SELECT * FROM devices WHERE $template = "${TEMPLATE}"` });
});

test('templates, devices and the job wizard name capabilities and templates by their display names', async ({ page, emulator }) => {
  await page.goto(`${emulator.url}/#/templates`);
  await page.getByLabel('Template', { exact: true }).selectOption(TEMPLATE);
  const capabilities = page.getByRole('table');
  await expect(capabilities.getByRole('row', { name: /targetTemperature · Target temperature\s+writable property\s+double/ })).toBeVisible();
  await expect(capabilities.getByRole('row', { name: /setMode · Set mode\s+command\s+request: string · response: Object/ })).toBeVisible();

  await page.goto(`${emulator.url}/#/devices`);
  await page.getByLabel('Search devices').fill('named-');
  const row = page.getByRole('grid', { name: 'Devices' }).getByRole('row').filter({ hasText: 'named-1' });
  const templateCell = row.getByRole('gridcell', { name: 'Test Thermostat' });
  await expect(templateCell).toBeVisible();
  await expect(templateCell).toHaveAttribute('title', TEMPLATE);

  await page.goto(`${emulator.url}/#/jobs/new`);
  await page.getByLabel('Device template', { exact: true }).selectOption(TEMPLATE);
  const property = page.getByRole('combobox', { name: 'Property', exact: true });
  await expect(property.getByRole('option', { name: 'Target temperature (targetTemperature)' })).toBeAttached();
  await property.selectOption({ label: 'Target temperature (targetTemperature)' });
  await expect(page.getByText('Named targetTemperature in the API')).toBeVisible();
  await page.getByRole('radio', { name: 'Command' }).check();
  await expect(page.getByRole('combobox', { name: 'Command', exact: true }).getByRole('option', { name: 'Set mode (setMode)' })).toBeAttached();
});

test("a job's device ids link to the device's panel on the Devices screen", async ({ page, request, emulator }) => {
  const headers = { authorization: emulator.token };
  expect((await request.put(`${emulator.url}/_fleetlab/simulation`, { headers, data: { timeScale: 0 } })).ok()).toBe(true);
  const job = await request.put(`${emulator.url}/api/jobs/named-job?${CENTRAL}`, {
    headers,
    data: { displayName: 'Named job', group: 'named-group', data: [{ type: 'property', target: TEMPLATE, path: 'targetTemperature', value: 21 }] },
  });
  expect(job.ok(), await job.text()).toBe(true);

  await page.goto(`${emulator.url}/#/jobs/details/named-job`);
  const table = page.getByRole('grid', { name: 'Devices of this job' });
  await table.getByRole('link', { name: 'named-2', exact: true }).click();
  await expect(page).toHaveURL(/#\/devices\/named-2$/);
  await expect(page.getByRole('heading', { level: 2, name: 'Device named-2' })).toBeFocused();
  await expect(page.getByRole('region', { name: 'Device named-2' }).getByText("Using the template's behaviour.")).toBeVisible();

  // Closing the panel leaves the device's address; Back returns to the job.
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(page).toHaveURL(/#\/devices$/);
  await page.goBack();
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Named job' })).toBeVisible();
});
