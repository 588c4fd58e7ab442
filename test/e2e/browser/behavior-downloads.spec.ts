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

  await profile.getByRole('button', { name: 'Customise' }).click();
  await downloadTime.fill('2500');
  await downloadFailures.fill('120');
  await profile.getByRole('button', { name: 'Save behaviour' }).click();
  // The browser refuses the form as it does for the other fields: nothing is sent.
  await expect(downloadFailures.and(page.locator(':invalid'))).toBeVisible();
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

test('an AWS IoT job whose things cannot download its file says so on each failed execution', async ({ page, request, emulator }) => {
  test.setTimeout(60_000);
  const headers = { authorization: emulator.token };
  const template = 'dtmi:fleetlab:e2e:flakydownloader;1';
  const put = await request.put(`${emulator.url}/api/deviceTemplates/${encodeURIComponent(template)}?api-version=2022-07-31`, {
    headers,
    data: { '@type': ['ModelDefinition', 'DeviceModel'], displayName: 'Flaky downloader', capabilityModel: { '@id': 'dtmi:fleetlab:e2e:flakydownloaderModel;1', '@type': 'Interface', contents: [] } },
  });
  expect(put.ok(), await put.text()).toBe(true);
  expect((await request.post(`${emulator.url}/_fleetlab/fleet`, { headers, data: { template, count: 2, idPrefix: 'flaky' } })).status()).toBe(201);
  const behavior = await request.put(`${emulator.url}/_fleetlab/templates/${encodeURIComponent(template)}/behavior`, { headers, data: { commandFailureRate: 0, offlineRate: 0, downloadFailureRatePerMb: 1 } });
  expect(behavior.ok(), await behavior.text()).toBe(true);
  expect((await request.put(`${emulator.url}/_fleetlab/simulation`, { headers, data: { timeScale: 0 } })).ok()).toBe(true);
  const file = await request.put(`${emulator.url}/_fleetlab/aws/files/firmware/flaky-fw.bin`, { headers: { ...headers, 'content-type': 'application/octet-stream' }, data: Buffer.alloc(4096, 7) });
  expect(file.status(), await file.text()).toBe(201);
  const { placeholder } = (await file.json()) as { placeholder: string };
  const job = await request.post(`${emulator.url}/_fleetlab/aws/jobs`, { headers, data: { jobId: 'flaky-ota', thingNames: ['flaky-1', 'flaky-2'], document: JSON.stringify({ url: placeholder }) } });
  expect(job.status(), await job.text()).toBe(201);

  await page.goto(`${emulator.url}/#/jobs/aws/flaky-ota`);
  await expect(page.getByTestId('job-status')).toHaveText('COMPLETED', { timeout: 30_000 });
  await expect(page.getByTestId('count-FAILED')).toHaveText('2');
  const table = page.getByRole('grid', { name: 'Executions of this job' });
  for (const thing of ['flaky-1', 'flaky-2']) {
    // The simulated failure's reason reads as a sentence, not as the statusDetails key it travels in.
    await expect(table.getByRole('row').filter({ hasText: thing }).getByRole('gridcell').nth(2)).toHaveText('The device could not download the file the job document links to.');
  }
});
