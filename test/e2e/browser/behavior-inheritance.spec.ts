import { expect, test } from '../fixtures/emulator.js';

const TEMPLATE = 'dtmi:fleetlab:e2e:inheriting;1';

test('behaviour editors say which values are inherited, customise only what is changed, and reset to defaults', async ({ page, request, emulator }) => {
  const headers = { authorization: emulator.token };
  const put = await request.put(`${emulator.url}/api/deviceTemplates/${encodeURIComponent(TEMPLATE)}?api-version=2022-07-31`, {
    headers,
    data: { '@type': ['ModelDefinition', 'DeviceModel'], displayName: 'Inheriting', capabilityModel: { '@id': 'dtmi:fleetlab:e2e:inheritingModel;1', '@type': 'Interface', contents: [] } },
  });
  expect(put.ok(), await put.text()).toBe(true);
  expect((await request.post(`${emulator.url}/_fleetlab/fleet`, { headers, data: { template: TEMPLATE, count: 3, idPrefix: 'heir' } })).status()).toBe(201);
  // The emulator is shared by the worker's spec files: its defaults are put back at the end.
  const { defaults } = (await (await request.get(`${emulator.url}/_fleetlab/simulation`, { headers })).json()) as { defaults: object };
  expect((await request.put(`${emulator.url}/_fleetlab/simulation`, { headers, data: { defaults: { propertyFailureRate: 0.3, commandFailureRate: 0 } } })).ok()).toBe(true);
  const templateBehavior = async () => (await (await page.request.get(`${emulator.url}/_fleetlab/templates/${encodeURIComponent(TEMPLATE)}/behavior`)).json()).behavior;

  // A template without its own values shows the simulation defaults as such, not as values to pin.
  await page.goto(`${emulator.url}/#/templates`);
  await page.getByLabel('Template', { exact: true }).selectOption(TEMPLATE);
  const profile = page.getByRole('region', { name: 'Behaviour profile' });
  await expect(profile.getByText('Using the simulation defaults.')).toBeVisible();
  const propertyRate = profile.getByRole('spinbutton', { name: 'Property failure rate (%)' });
  await expect(propertyRate).toHaveValue('30');
  await expect(propertyRate).toBeDisabled();
  await expect(propertyRate).toHaveAccessibleDescription('From the simulation defaults');
  await expect(profile.getByRole('button', { name: 'Save behaviour' })).toHaveCount(0);

  // Customising one value pins only that one: the property failure rate keeps following the defaults.
  await profile.getByRole('button', { name: 'Customise' }).click();
  await profile.getByRole('spinbutton', { name: 'Command failure rate (%)' }).fill('5');
  await profile.getByRole('button', { name: 'Save behaviour' }).click();
  await expect(profile.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  expect(await templateBehavior()).toEqual({ commandFailureRate: 0.05 });
  await expect(profile.getByText('Customised: 1 of 7 values are set here; the others use the simulation defaults.')).toBeVisible();
  await expect(profile.getByRole('spinbutton', { name: 'Command failure rate (%)' })).toHaveAccessibleDescription('Customised here; the simulation defaults: 0 %');
  await expect(propertyRate).toHaveAccessibleDescription('From the simulation defaults');

  // A device inherits its template's profile; its override is reset through the API and keeps its connectivity.
  await page.goto(`${emulator.url}/#/devices`);
  // Other spec files share this emulator's fleet: find the device as a user would among many.
  await page.getByLabel('Search devices').fill('heir-2');
  await page.getByRole('grid', { name: 'Devices' }).getByRole('button', { name: 'heir-2', exact: true }).click();
  const panel = page.getByRole('region', { name: 'Device heir-2' });
  await panel.getByRole('radio', { name: 'Offline' }).check();
  await expect(panel.getByText("Using the template's behaviour.")).toBeVisible();
  await expect(panel.getByRole('spinbutton', { name: 'Command failure rate (%)' })).toHaveValue('5');
  await panel.getByRole('button', { name: 'Customise' }).click();
  await panel.getByRole('spinbutton', { name: 'Property failure rate (%)' }).fill('50');
  await panel.getByRole('button', { name: 'Save override' }).click();
  await expect(panel.getByText("Customised: 1 of 7 values are set here; the others use the template's behaviour.")).toBeVisible();
  const deviceUrl = `${emulator.url}/_fleetlab/devices/heir-2/behavior`;
  expect((await (await page.request.get(deviceUrl)).json()).behavior).toEqual({ propertyFailureRate: 0.5 });
  // The table says so in full, not cut off at the column's edge.
  const connectivity = page.getByRole('grid', { name: 'Devices' }).getByRole('row').filter({ hasText: 'heir-2' }).getByRole('gridcell').nth(4);
  await expect(connectivity).toHaveText('Offline · custom behaviour');
  expect(await connectivity.evaluate((cell) => cell.scrollWidth <= cell.clientWidth + 1)).toBe(true);

  await panel.getByRole('button', { name: 'Reset to defaults' }).click();
  await expect(panel.getByText("Using the template's behaviour.")).toBeVisible();
  await expect(panel.getByRole('spinbutton', { name: 'Property failure rate (%)' })).toHaveValue('30');
  const device = (await (await page.request.get(deviceUrl)).json()) as { behavior: object; online: boolean | null };
  expect(device).toMatchObject({ behavior: {}, online: false });

  // The template's reset removes its own values too.
  await page.goto(`${emulator.url}/#/templates`);
  await page.getByLabel('Template', { exact: true }).selectOption(TEMPLATE);
  await profile.getByRole('button', { name: 'Reset to defaults' }).click();
  await expect(profile.getByText('Using the simulation defaults.')).toBeVisible();
  expect(await templateBehavior()).toEqual({});
  expect((await request.put(`${emulator.url}/_fleetlab/simulation`, { headers, data: { defaults } })).ok()).toBe(true);
});
