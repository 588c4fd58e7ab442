import { expect, test } from '../fixtures/emulator.js';
import { seedFleet } from '../scenarios/job-scenario.js';

test('a schedule shows its group, its runs by name, and can be deleted after a confirmation', async ({ page, request, emulator }) => {
  const fleet = await seedFleet(request, emulator, 'sch');
  const res = await request.put(`${emulator.url}/api/scheduledJobs/sch-nightly?api-version=2022-07-31`, {
    headers: { authorization: emulator.token },
    data: {
      displayName: 'Nightly reset',
      group: fleet.group,
      schedule: { start: '2099-01-01T00:00:00Z', recurrence: 'daily' },
      data: [{ type: 'property', target: fleet.template, path: 'targetTemperature', value: 20 }],
    },
  });
  expect(res.ok(), await res.text()).toBe(true);

  await page.goto(`${emulator.url}/#/scheduled`);
  const row = page.getByRole('row').filter({ hasText: 'Nightly reset' });
  await expect(row).toContainText(fleet.group);
  await row.getByRole('button', { name: 'Runs of Nightly reset' }).click();
  await expect(page.getByRole('heading', { name: 'Runs of Nightly reset' })).toBeVisible();

  await row.getByRole('button', { name: 'Delete scheduled job Nightly reset' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete scheduled job Nightly reset?' });
  await expect(dialog).toContainText('It will not run again. The jobs it already ran stay in the job list.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: 'Delete scheduled job Nightly reset' }).click();
  await dialog.getByRole('button', { name: 'Delete scheduled job' }).click();
  await expect(row).toHaveCount(0);
  const gone = await request.get(`${emulator.url}/api/scheduledJobs/sch-nightly?api-version=2022-07-31`, { headers: { authorization: emulator.token } });
  expect(gone.status()).toBe(404);
});
