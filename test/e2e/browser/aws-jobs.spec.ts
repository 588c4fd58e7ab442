import { AddThingToThingGroupCommand, CreateThingGroupCommand, IoTClient } from '@aws-sdk/client-iot';
import type { APIRequestContext } from '@playwright/test';
import { expect, test, type Emulator } from '../fixtures/emulator.js';
import { saveScreenshot } from '../screenshots.js';

const THINGS = 100;
const GROUP = 'aws-pumps';

/**
 * A template, THINGS simulated devices named `<prefix>-N` and an AWS thing group of the same name holding them, made
 * as an AWS user would (SDK for AWS parts), and the simulation at `timeScale`.
 */
async function seedPumps(request: APIRequestContext, { url, token }: Emulator, prefix = 'awspump', group = GROUP, timeScale = 0): Promise<void> {
  const headers = { authorization: token };
  const template = 'dtmi:fleetlab:e2e:awspump;1';
  const put = await request.put(`${url}/api/deviceTemplates/${encodeURIComponent(template)}?api-version=2022-07-31`, {
    headers,
    data: {
      '@type': ['ModelDefinition', 'DeviceModel'],
      displayName: 'E2E pump',
      capabilityModel: { '@id': 'dtmi:fleetlab:e2e:awspumpModel;1', '@type': 'Interface', contents: [{ '@type': 'Command', name: 'reboot' }] },
    },
  });
  expect(put.ok(), await put.text()).toBe(true);
  const fleet = await request.post(`${url}/_fleetlab/fleet`, { headers, data: { template, count: THINGS, idPrefix: prefix } });
  expect(fleet.status(), await fleet.text()).toBe(201);

  const iot = new IoTClient({ endpoint: `${url}/aws`, region: 'us-east-1', credentials: { accessKeyId: 'fleetlab', secretAccessKey: 'fleetlab-secret' }, maxAttempts: 1 });
  await iot.send(new CreateThingGroupCommand({ thingGroupName: group }));
  for (let i = 1; i <= THINGS; i++) await iot.send(new AddThingToThingGroupCommand({ thingGroupName: group, thingName: `${prefix}-${i}` }));
  iot.destroy();

  // Virtual time (0): the rollout's simulated minutes pass as fast as the devices can be simulated.
  const sim = await request.put(`${url}/_fleetlab/simulation`, {
    headers,
    data: { timeScale, defaults: { commandFailureRate: 0, offlineRate: 0, latencyMs: { min: 100, max: 2000 } } },
  });
  expect(sim.ok(), await sim.text()).toBe(true);
}

test('an AWS IoT job with an exponential rollout, from the wizard to SUCCEEDED executions, and a canceled scheduled job', async ({ page, request, emulator }) => {
  test.setTimeout(90_000);
  await seedPumps(request, emulator);

  await page.goto(`${emulator.url}/#/jobs/new`);
  await page.getByRole('radio', { name: 'AWS IoT job' }).check();
  await page.getByRole('textbox', { name: 'Job id' }).fill('pump-reboot');
  await page.getByRole('textbox', { name: 'Description' }).fill('Reboot every pump, ramping up');
  await page.getByLabel(GROUP).check();
  await page.getByRole('textbox', { name: 'Job document (JSON)' }).fill('{"operation":"reboot","delaySeconds":5}');
  await page.getByLabel('Rollout rate').selectOption('exponential');
  await page.getByLabel('Maximum things per minute').fill('40');
  await page.getByLabel('Base rate per minute').fill('5');
  await page.getByLabel('Increment factor').fill('2');
  await page.getByLabel('Increase the rate after every').fill('5');

  // The dry run: 5 a minute, doubled after every 5 notified things, capped at 40.
  await expect(page.getByTestId('aws-dry-run-things')).toHaveText(`${THINGS} things notified over 5 simulated minutes.`);
  await expect(page.getByTestId('rollout-curve')).toHaveAttribute('aria-label', 'Things notified per minute: 5, 10, 20, 40, 25');
  await expect(page.getByTestId('rollout-curve').locator('rect')).toHaveCount(5);

  // A limit only the API knows about is shown next to the rollout fields, in words.
  await page.getByLabel('Increment factor').fill('1');
  await page.getByRole('button', { name: 'Create AWS job' }).click();
  await expect(page.locator('#aws-rollout-error')).toHaveText('jobExecutionsRolloutConfig.exponentialRate.incrementFactor: must be >= 1.1.');
  await page.getByLabel('Increment factor').fill('2');

  await page.getByRole('button', { name: 'Create AWS job' }).click();
  await expect(page).toHaveURL(/#\/jobs\/aws\/pump-reboot$/);
  await expect(page.getByRole('heading', { level: 1, name: 'pump-reboot' })).toBeVisible();
  await expect(page.getByTestId('job-status')).toHaveText('COMPLETED', { timeout: 30_000 });
  await expect(page.getByTestId('count-SUCCEEDED')).toHaveText(String(THINGS));
  await expect(page.getByTestId('count-QUEUED')).toHaveText('0');
  await expect(page.getByRole('button', { name: 'Force cancel' })).toBeDisabled();

  const table = page.getByRole('grid', { name: 'Executions of this job' });
  await expect(table.getByRole('row').nth(1)).toContainText('awspump-1');
  await expect(table.getByRole('row').nth(1)).toContainText('SUCCEEDED');
  await page.getByLabel('Status').selectOption('FAILED');
  await expect(page.getByText('0 executions')).toBeVisible();
  await page.getByLabel('Status').selectOption('SUCCEEDED');
  await expect(page.getByText(`${THINGS} executions`)).toBeVisible();
  await saveScreenshot(page, 'aws-job');

  // The list shows AWS status chips; a scheduled job waits, and Cancel in its detail view ends it.
  const scheduled = await request.post(`${emulator.url}/_fleetlab/aws/jobs`, {
    headers: { authorization: emulator.token },
    data: { jobId: 'pump-later', thingGroupNames: [GROUP], document: '{"operation":"reboot"}', schedulingConfig: { startTime: '2099-01-01T00:00' } },
  });
  expect(scheduled.status(), await scheduled.text()).toBe(201);
  await page.getByRole('link', { name: 'Back to jobs' }).click();
  const laterRow = page.getByRole('row').filter({ hasText: 'pump-later' });
  await expect(laterRow).toContainText('SCHEDULED');
  await expect(page.getByRole('row').filter({ hasText: 'pump-reboot' })).toContainText('COMPLETED');
  await laterRow.getByRole('link', { name: 'pump-later' }).click();
  await expect(page.getByTestId('job-status')).toHaveText('SCHEDULED');
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await page.getByRole('dialog', { name: 'Cancel AWS job pump-later?' }).getByRole('button', { name: 'Cancel job' }).click();
  await expect(page.getByTestId('job-status')).toHaveText('CANCELED');
  await expect(page.getByTestId('count-CANCELED')).toHaveText(String(THINGS));

  // Links that do not know the dialect (the Home screen's) lead to the AWS view too.
  await page.goto(`${emulator.url}/#/jobs/details/pump-reboot`);
  await expect(page.getByText('AWS IoT job · SNAPSHOT')).toBeVisible();
  await expect(page.getByTestId('count-SUCCEEDED')).toHaveText(String(THINGS));
});

test('a cancelled AWS job tells the same story everywhere: 20 succeeded, 80 never run', async ({ page, request, emulator }) => {
  test.setTimeout(60_000);
  // Real time, 20 things a minute: the first minute's 20 finish within seconds, the other 80 wait for the next minute.
  await seedPumps(request, emulator, 'slowpump', 'slow-pumps', 1);
  const created = await request.post(`${emulator.url}/_fleetlab/aws/jobs`, {
    headers: { authorization: emulator.token },
    data: { jobId: 'slow-reboot', thingGroupNames: ['slow-pumps'], document: '{"operation":"reboot"}', jobExecutionsRolloutConfig: { maximumPerMinute: 20 } },
  });
  expect(created.status(), await created.text()).toBe(201);

  await page.goto(`${emulator.url}/#/jobs/aws/slow-reboot`);
  await expect(page.getByTestId('count-SUCCEEDED')).toHaveText('20', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  const confirmation = page.getByRole('dialog', { name: 'Cancel AWS job slow-reboot?' });
  await expect(confirmation).toContainText('Queued executions are canceled; those in progress may finish.');
  await confirmation.getByRole('button', { name: 'Cancel job' }).click();
  await expect(page.getByTestId('job-status')).toHaveText('CANCELED');
  await expect(page.getByTestId('count-CANCELED')).toHaveText('80');
  await expect(page.getByRole('progressbar', { name: 'Executions that ended' })).toHaveAttribute(
    'aria-valuetext',
    '20 of 100 devices done: 20 completed, 0 failed, 80 not run (cancelled)',
  );
  await expect(page.getByRole('button', { name: 'Force cancel' })).toBeDisabled();

  await page.getByRole('link', { name: 'Back to jobs' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'slow-reboot' })).toContainText('20 completed · 0 failed · 80 not run (cancelled)');
});
