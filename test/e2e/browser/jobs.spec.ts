import { expect, test } from '../fixtures/emulator.js';
import { runJobScenario, seedFleet } from '../scenarios/job-scenario.js';

test('a property job with batches and a threshold, from the wizard to its CSV, with stop, resume and rerun', async ({ page, request, emulator }) => {
  test.setTimeout(120_000);
  const fleet = await seedFleet(request, emulator, 'therm');
  await page.goto(emulator.url);
  await runJobScenario(page, request, emulator, fleet, { screenshots: true });
});

test('the wizard explains missing choices and API refusals next to the field', async ({ page, request, emulator }) => {
  await page.goto(`${emulator.url}/#/jobs/new`);
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByText('Give the job a name.')).toBeVisible();
  await expect(page.getByText('Choose the device group the job runs on.')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Name' })).toHaveAttribute('aria-invalid', 'true');
  // Once the field is fixed its error goes, without another submit; the others stay.
  await page.getByRole('textbox', { name: 'Name' }).fill('Fixed name');
  await expect(page.getByText('Give the job a name.')).toHaveCount(0);
  await expect(page.getByText('Choose the device group the job runs on.')).toBeVisible();

  const fleet = await seedFleet(request, emulator, 'copyme');
  const existing = 'copy-source';
  const created = await request.put(`${emulator.url}/api/jobs/${existing}?api-version=2022-07-31`, {
    headers: { authorization: emulator.token },
    data: { displayName: 'Original', group: fleet.group, data: [{ type: 'property', target: fleet.template, path: 'targetTemperature', value: 19 }] },
  });
  expect(created.ok()).toBe(true);

  await page.goto(`${emulator.url}/#/jobs/details/${existing}`);
  await page.getByRole('link', { name: 'Copy job' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Copy job' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Name' })).toHaveValue('Original Copy');
  await expect(page.getByLabel('Device group')).toHaveValue(fleet.group);
  await expect(page.getByLabel('Value (double)')).toHaveValue('19');

  // Percentages go up to 100: the dry run says so instead of describing a job that cannot be, and so does submit.
  await page.getByRole('checkbox', { name: 'Cancel the job when too many devices fail' }).check();
  await page.getByLabel('Cancellation threshold').fill('150');
  await expect(page.getByRole('region', { name: 'Dry run' })).toContainText('Not valid yet: A percentage goes up to 100.');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.locator('.field-error').filter({ hasText: 'A percentage goes up to 100.' })).toBeVisible();
  await page.getByLabel('Cancellation threshold').fill('10');
  await expect(page.locator('.field-error').filter({ hasText: 'A percentage goes up to 100.' })).toHaveCount(0);

  // The id of a job that exists: the API's 409 message appears under the Job id field, in words.
  await page.getByRole('textbox', { name: 'Job id' }).fill(existing);
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.locator('#job-id-error')).toHaveText(`A job with id "${existing}" already exists; job ids cannot be reused.`);
});
