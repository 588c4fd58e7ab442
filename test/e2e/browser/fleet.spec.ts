import { readFile } from 'node:fs/promises';
import type { Download } from '@playwright/test';
import { expect, test } from '../fixtures/emulator.js';
import { saveScreenshot } from '../screenshots.js';


const TEMPLATE_ID = 'dtmi:fleetlab:e2eThermostat;1';
const DTDL_INTERFACE = {
  '@context': 'dtmi:dtdl:context;2',
  '@id': TEMPLATE_ID,
  '@type': 'Interface',
  displayName: 'E2E thermostat',
  contents: [
    { '@type': 'Property', name: 'targetTemperature', schema: 'double', writable: true },
    { '@type': 'Command', name: 'reboot' },
    { '@type': 'Telemetry', name: 'temperature', schema: 'double' },
  ],
};

async function downloadedText(download: Promise<Download>): Promise<string> {
  return readFile(await (await download).path(), 'utf8');
}

test.describe.configure({ mode: 'serial' });

test('import a template, add 1,000 devices, take one offline, import and export CSV, and group them', async ({ page, emulator }) => {
  test.setTimeout(90_000);
  // The emulator is shared by the worker's tests; this one starts from an empty fleet.
  const reset = await fetch(`${emulator.url}/_fleetlab/reset`, { method: 'POST', headers: { authorization: emulator.token } });
  expect(reset.status).toBe(204);
  await page.goto(emulator.url);

  // Import the template with the file picker.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Device templates' }).click();
  await expect(page.getByText('No device templates yet')).toBeVisible();
  await page.getByLabel('Import a DTDL JSON file').setInputFiles({
    name: 'thermostat.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(DTDL_INTERFACE)),
  });
  await expect(page.getByRole('status').filter({ hasText: `Imported E2E thermostat (${TEMPLATE_ID}).` })).toBeVisible();
  const capabilities = page.getByRole('table');
  await expect(capabilities.getByRole('row', { name: /targetTemperature\s+writable property\s+double/ })).toBeVisible();
  await expect(capabilities.getByRole('row', { name: /reboot\s+command/ })).toBeVisible();

  // A broken file is explained next to the picker.
  await page.getByLabel('Import a DTDL JSON file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"@id": ') });
  await expect(page.getByRole('alert')).toContainText('broken.json is not valid JSON');

  // Its behaviour profile, with the slider's number field.
  await page.getByRole('button', { name: 'Customise' }).click();
  await page.getByRole('spinbutton', { name: 'Property failure rate (%)' }).fill('10');
  await page.getByRole('button', { name: 'Save behaviour' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  const templateBehavior = await page.request.get(`${emulator.url}/_fleetlab/templates/${encodeURIComponent(TEMPLATE_ID)}/behavior`);
  expect((await templateBehavior.json()).behavior.propertyFailureRate).toBeCloseTo(0.1);
  await saveScreenshot(page, 'templates');

  // Add 1,000 simulated devices.
  await page.getByRole('link', { name: 'Devices', exact: true }).click();
  await page.getByLabel('Number of devices').fill('1000');
  await page.getByLabel('Id prefix').fill('e2e');
  await page.getByRole('button', { name: 'Add simulated devices' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Added 1,000 simulated devices, e2e-1 to e2e-1000.' })).toBeVisible();
  const table = page.getByRole('grid', { name: 'Devices' });
  await expect(table.getByRole('button', { name: 'e2e-1', exact: true })).toBeVisible();

  // The table is virtualized: scrolling to the bottom loads the last device.
  await table.locator('.viewport').evaluate((viewport) => viewport.scrollTo(0, viewport.scrollHeight));
  await expect(table.getByRole('button', { name: 'e2e-1000', exact: true })).toBeVisible();
  expect(await table.getByRole('row').count()).toBeLessThan(40);
  await table.locator('.viewport').evaluate((viewport) => viewport.scrollTo(0, 0));

  // Take one device offline.
  await table.getByRole('button', { name: 'e2e-5', exact: true }).click();
  await page.getByRole('radio', { name: 'Offline' }).check();
  await expect(table.getByRole('row').filter({ has: page.getByRole('button', { name: 'e2e-5', exact: true }) })).toContainText('Offline');
  expect((await (await page.request.get(`${emulator.url}/_fleetlab/devices/e2e-5/behavior`)).json()).online).toBe(false);

  // Import devices from a CSV in IoT Central's format; the refused rows can be downloaded.
  const csv = ['IOTC_DEVICEID,IOTC_DEVICENAME', 'csv-a,Pump A', 'csv-b,"Pump, B"', 'bad id!,Broken', 'csv-a,Again', 'csv-c,'].join('\n');
  await page.getByLabel('Device CSV file').setInputFiles({ name: 'devices.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByRole('status').filter({ hasText: 'Imported 3 of 5 devices from devices.csv. 2 rows were refused.' })).toBeVisible();
  const refused = await downloadedText(
    Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the refused rows (2)' }).click()]).then(([d]) => d),
  );
  expect(refused.trim().split(/\r?\n/)).toEqual([
    'line,IOTC_DEVICEID,reason',
    '4,bad id!,"The device id may only contain letters, digits and hyphens."',
    '5,csv-a,The device id appears earlier in the file.',
  ]);
  expect((await (await page.request.get(`${emulator.url}/api/devices/csv-b?api-version=2022-07-31`)).json()).displayName).toBe('Pump, B');

  // Export the selected devices.
  await page.getByRole('checkbox', { name: 'Select e2e-2' }).check();
  await page.getByRole('checkbox', { name: 'Select e2e-3' }).check();
  const exported = await downloadedText(
    Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export selected as CSV' }).click()]).then(([d]) => d),
  );
  expect(exported.trim().split(/\r?\n/)).toEqual(['IOTC_DEVICEID,IOTC_DEVICENAME', 'e2e-2,e2e-2', 'e2e-3,e2e-3']);
  await saveScreenshot(page, 'devices');

  // Make a group and see its live count before saving.
  await page.getByRole('link', { name: 'Device groups' }).click();
  await page.getByLabel('Group name').fill('E2E fleet');
  await page.getByLabel('Attribute 1').selectOption('$id');
  await page.getByLabel('Operator 1').selectOption('startswith');
  await page.getByLabel('Value 1').fill('e2e-');
  await expect(page.getByLabel('Filter (IoT Central query language)')).toHaveValue('SELECT * FROM devices WHERE startswith($id, "e2e-")');
  await expect(page.getByTestId('group-count')).toHaveText('1,000');
  await page.getByLabel('Value 1').fill('csv-');
  await expect(page.getByTestId('group-count')).toHaveText('3');
  await page.getByLabel('Value 1').fill('e2e-');
  await expect(page.getByTestId('group-count')).toHaveText('1,000');
  await page.getByRole('button', { name: 'Create group' }).click();
  await expect(page.getByRole('row', { name: /E2E fleet \(e2e-fleet\)/ })).toBeVisible();
  const members = await page.request.get(`${emulator.url}/api/deviceGroups/e2e-fleet/devices?api-version=2022-10-31-preview&maxpagesize=1`);
  expect((await members.json()).value[0].id).toBe('e2e-1');
  await saveScreenshot(page, 'groups');

  // A filter the emulator cannot read is explained in words.
  await page.getByLabel('Filter (IoT Central query language)').fill('SELECT * FROM devices WHERE $colour = "red"');
  await expect(page.getByRole('status').filter({ hasText: 'unknown device attribute "$colour"' })).toBeVisible();

  // Home sums the fleet up.
  await page.getByRole('link', { name: 'Home' }).click();
  const fleet = page.getByRole('region', { name: 'Fleet' });
  await expect(fleet.getByRole('definition').first()).toHaveText('1,003');
  await expect(fleet).toContainText('Set offline1');
});

test('the simulation speed and defaults are saved', async ({ page, emulator }) => {
  await page.goto(`${emulator.url}/#/simulation`);
  await page.getByRole('radio', { name: 'As fast as possible' }).check();
  await page.getByRole('spinbutton', { name: 'Seed' }).fill('42');
  await page.getByRole('button', { name: 'Save seed and speed' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' }).first()).toBeVisible();
  expect(await (await page.request.get(`${emulator.url}/_fleetlab/simulation`)).json()).toMatchObject({ seed: 42, timeScale: 0 });
  await saveScreenshot(page, 'simulation');

  await page.getByRole('spinbutton', { name: 'Latency min (ms)' }).fill('900');
  await page.getByRole('spinbutton', { name: 'Latency max (ms)' }).fill('100');
  await page.getByRole('button', { name: 'Save defaults' }).click();
  await expect(page.getByRole('alert')).toHaveText('defaults.latencyMs.min (900) must not exceed defaults.latencyMs.max (100).');
});
