import { apiPut } from '../fixtures/api-put.js';
import { expect, test } from '../fixtures/emulator.js';

const CENTRAL = 'api-version=2022-07-31';
const TEMPLATE = 'dtmi:fleetlab:e2e:scheduler;1';

test('the wizard starts an Object value from its fields, and explains a dateTime in ISO 8601', async ({ page, request, emulator }) => {
  const put = apiPut(request, emulator);
  await put(`/api/deviceTemplates/${encodeURIComponent(TEMPLATE)}?${CENTRAL}`, {
    '@type': ['ModelDefinition', 'DeviceModel'],
    displayName: 'Scheduler',
    capabilityModel: {
      '@id': 'dtmi:fleetlab:e2e:schedulerModel;1',
      '@type': 'Interface',
      contents: [
        {
          '@type': 'Property',
          name: 'window',
          writable: true,
          schema: {
            '@type': 'Object',
            fields: [
              { name: 'label', schema: 'string' },
              { name: 'hours', schema: 'integer' },
              { name: 'enabled', schema: 'boolean' },
              { name: 'mode', schema: { '@type': 'Enum', valueSchema: 'string', enumValues: [{ name: 'eco', enumValue: 'eco' }, { name: 'boost', enumValue: 'boost' }] } },
            ],
          },
        },
        { '@type': 'Property', name: 'maintenanceAt', schema: 'dateTime', writable: true },
      ],
    },
  });
  await page.goto(`${emulator.url}/#/jobs/new`);
  await page.getByLabel('Device template', { exact: true }).selectOption(TEMPLATE);
  const property = page.getByRole('combobox', { name: 'Property', exact: true });

  await property.selectOption('window');
  const json = page.getByRole('textbox', { name: 'Value' });
  expect(JSON.parse(await json.inputValue())).toEqual({ label: '', hours: 0, enabled: false, mode: 'eco' });
  await expect(page.getByText('every field of the Object is filled in with a placeholder to replace')).toBeVisible();

  await property.selectOption('maintenanceAt');
  const when = page.getByRole('textbox', { name: 'Value (dateTime)' });
  await expect(when).toHaveAttribute('placeholder', '2026-12-01T12:00:00Z');
  await expect(when).toHaveAccessibleDescription(/ISO 8601, e\.g\. 2026-12-01T12:00:00Z/);
  await when.fill('next tuesday');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByText('Enter a date and time in ISO 8601, e.g. 2026-12-01T12:00:00Z.')).toBeVisible();
  await when.fill('2026-12-24T08:00:00');
  await expect(page.getByText('Enter a date and time in ISO 8601 with its time zone (Z for UTC), e.g. 2026-12-01T12:00:00Z.')).toBeVisible();
  await when.fill('2026-12-24T08:00:00+01:00');
  await expect(page.getByText(/Enter a date and time in ISO 8601/)).toHaveCount(0);
});
