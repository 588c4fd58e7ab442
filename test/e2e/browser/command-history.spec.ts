import { expect, test } from '../fixtures/emulator.js';
import { seedFleet } from '../scenarios/job-scenario.js';

test("a device's command history shows the command a job ran on it", async ({ page, request, emulator }) => {
  const fleet = await seedFleet(request, emulator, 'cmd');
  const headers = { authorization: emulator.token };
  const sim = await request.put(`${emulator.url}/_fleetlab/simulation`, {
    headers,
    data: { timeScale: 0, defaults: { commandFailureRate: 0, offlineRate: 0, latencyMs: { min: 10, max: 50 } } },
  });
  expect(sim.ok()).toBe(true);
  const job = await request.put(`${emulator.url}/api/jobs/reboot-cmd?api-version=2022-07-31`, {
    headers,
    data: { displayName: 'Reboot every thermostat', group: fleet.group, data: [{ type: 'command', target: fleet.template, path: 'reboot', value: {} }] },
  });
  expect(job.ok(), await job.text()).toBe(true);

  await page.goto(`${emulator.url}/#/jobs/details/reboot-cmd`);
  await expect(page.getByTestId('job-status')).toHaveText('complete');
  await expect(page.getByTestId('job-counts')).toContainText('1,000 completed');

  await page.goto(`${emulator.url}/#/devices`);
  await page.getByLabel('Search devices').fill('cmd-8');
  const grid = page.getByRole('grid', { name: 'Devices' });
  await grid.getByRole('button', { name: 'cmd-8', exact: true }).click();
  await expect(page.getByText('last run by job Reboot every thermostat; the device answered 200 (success).')).toBeVisible();
  await page.getByRole('link', { name: 'Reboot every thermostat' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reboot every thermostat' })).toBeVisible();
});
