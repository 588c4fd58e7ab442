import { expect, test } from '../fixtures/emulator.js';

const TEMPLATE = 'dtmi:fleetlab:e2e:downloader;1';

test('the behaviour editor sets how AWS IoT things download job files, and refuses a rate over 100 %', async ({ page, request, emulator }) => {
  const headers = { authorization: emulator.token };
  const put = await request.put(`${emulator.url}/api/deviceTemplates/${encodeURIComponent(TEMPLATE)}?api-version=2022-07-31`, {
    headers,
    data: { '@type': ['ModelDefinition', 'DeviceModel'], displayName: 'Downloader', capabilityModel: { '@id': 'dtmi:fleetlab:e2e:downloaderModel;1', '@type': 'Interface', contents: [] } },
  });
  expect(put.ok(), await put.text()).toBe(true);
  const behaviorUrl = `${emulator.url}/_fleetlab/templates/${encodeURIComponent(TEMPLATE)}/behavior`;

  await page.goto(`${emulator.url}/#/templates`);
  await page.getByLabel('Template', { exact: true }).selectOption(TEMPLATE);
  const profile = page.getByRole('region', { name: 'Behaviour profile' });
  const downloadTime = profile.getByRole('spinbutton', { name: 'Download time per MiB (ms)' });
  const downloadFailures = profile.getByRole('spinbutton', { name: 'Download failure rate per MiB (%)' });
  // The fields start from the effective profile: the simulation defaults, 100 ms per MiB and no failures.
  await expect(downloadTime).toHaveValue('100');
  await expect(downloadFailures).toHaveValue('0');
  await expect(downloadFailures).toHaveAccessibleDescription(/a 4 MiB file fails about 1 in 3 times/);

  await downloadTime.fill('2500');
  await downloadFailures.fill('120');
  await profile.getByRole('button', { name: 'Save behaviour' }).click();
  expect(await downloadFailures.evaluate((input: HTMLInputElement) => input.validity.rangeOverflow)).toBe(true);
  expect((await (await page.request.get(behaviorUrl)).json()).behavior).not.toHaveProperty('downloadFailureRatePerMb');

  await downloadFailures.fill('12.5');
  await profile.getByRole('button', { name: 'Save behaviour' }).click();
  await expect(profile.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  const stored = (await (await page.request.get(behaviorUrl)).json()) as { behavior: Record<string, number>; effective: Record<string, number> };
  expect(stored.behavior).toMatchObject({ downloadMsPerMb: 2500, downloadFailureRatePerMb: 0.125 });
  expect(stored.effective).toMatchObject({ downloadMsPerMb: 2500, downloadFailureRatePerMb: 0.125 });

  // A reload shows what was stored, not what was typed.
  await page.reload();
  await page.getByLabel('Template', { exact: true }).selectOption(TEMPLATE);
  await expect(profile.getByRole('spinbutton', { name: 'Download time per MiB (ms)' })).toHaveValue('2500');
  await expect(profile.getByRole('spinbutton', { name: 'Download failure rate per MiB (%)' })).toHaveValue('12.5');
});
