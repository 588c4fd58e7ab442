import { readFile } from 'node:fs/promises';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { saveScreenshot } from '../screenshots.js';

/** Where the emulator the page talks to listens, and a token for it: the headless CLI's or the desktop app's own. */
export interface EmulatorAddress {
  url: string;
  /** A whole Authorization header value. */
  token: string;
}

export interface Fleet {
  template: string;
  group: string;
  idPrefix: string;
}

const JOB_NAME = 'Set target temperature';

/**
 * What the user needs before the wizard is of use: a template, 1,000 simulated devices and a group, made through
 * the API under names of their own (an emulator may be shared by several spec files).
 */
export async function seedFleet(request: APIRequestContext, { url, token }: EmulatorAddress, name: string): Promise<Fleet> {
  const fleet: Fleet = { template: `dtmi:fleetlab:e2e:${name};1`, group: `${name}-group`, idPrefix: name };
  const headers = { authorization: token };
  const put = async (path: string, data: unknown) => {
    const res = await request.put(`${url}${path}`, { headers, data });
    expect(res.ok(), `${path}: ${await res.text()}`).toBe(true);
  };
  await put(`/api/deviceTemplates/${encodeURIComponent(fleet.template)}?api-version=2022-07-31`, {
    '@type': ['ModelDefinition', 'DeviceModel'],
    displayName: 'E2E thermostat',
    capabilityModel: {
      '@id': `dtmi:fleetlab:e2e:${name}Model;1`,
      '@type': 'Interface',
      contents: [
        { '@type': 'Property', name: 'targetTemperature', schema: 'double', writable: true },
        { '@type': 'Command', name: 'reboot' },
      ],
    },
  });
  const created = await request.post(`${url}/_fleetlab/fleet`, { headers, data: { template: fleet.template, count: 1000, idPrefix: fleet.idPrefix } });
  expect(created.status(), await created.text()).toBe(201);
  await put(`/api/deviceGroups/${fleet.group}?api-version=2022-07-31`, {
    displayName: `Thermostats ${name}`,
    filter: `SELECT * FROM devices WHERE $template = "${fleet.template}"`,
  });
  // Real time with visible latency, so that the job runs long enough to be watched, stopped and resumed.
  await put('/_fleetlab/simulation', { timeScale: 1, seed: 11, defaults: { propertyFailureRate: 0.1, offlineRate: 0, latencyMs: { min: 200, max: 700 } } });
  return fleet;
}

async function jobFromApi(request: APIRequestContext, { url, token }: EmulatorAddress, id: string) {
  const res = await request.get(`${url}/api/jobs/${id}?api-version=2022-07-31`, { headers: { authorization: token } });
  return (await res.json()) as { status: string; progress: { total: number; completed: number; failed: number; pending: number } };
}

export async function fillWizard(page: Page, { group, template }: Fleet): Promise<void> {
  await page.getByRole('textbox', { name: 'Name' }).fill(JOB_NAME);
  await page.getByRole('textbox', { name: 'Description' }).fill('Raise every E2E thermostat to 21.5 °C');
  await page.getByRole('combobox', { name: 'Device group' }).selectOption(group);
  await expect(page.getByTestId('group-count')).toHaveText('1,000 devices in this group now');
  await page.getByRole('combobox', { name: 'Device template' }).selectOption(template);
  await page.getByRole('combobox', { name: 'Property', exact: true }).selectOption('targetTemperature');
  await page.getByLabel('Value (double)').fill('21.5');
  await page.getByRole('checkbox', { name: 'Run in batches' }).check();
  await page.getByLabel('Batch size', { exact: true }).fill('10');
  await page.getByRole('checkbox', { name: 'Cancel the job when too many devices fail' }).check();
  await page.getByLabel('Cancellation threshold').fill('50');
  await page.getByRole('checkbox', { name: 'Apply to each batch' }).check();
}

export interface ScenarioOptions {
  /** Save the README's screenshots of the job screens (when `npm run screenshots` asks for them). */
  screenshots?: boolean;
}

/**
 * The job scenario of the UI issue, from the Jobs screen on an emulator holding `fleet`: the wizard with its dry
 * run and curl line, the live detail page with Stop and Resume, Home's running jobs, the final counts and chart,
 * Download results, Rerun on failed devices and the job list. The browser and desktop-app projects both run it.
 */
export async function runJobScenario(page: Page, request: APIRequestContext, emulator: EmulatorAddress, fleet: Fleet, options: ScenarioOptions = {}): Promise<void> {
  const screenshot = async (name: string) => {
    if (options.screenshots) await saveScreenshot(page, name);
  };
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible();

  await test.step('the wizard shows the dry run and the equivalent curl call', async () => {
    await page.getByRole('link', { name: 'New job' }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: 'New job' })).toBeVisible();
    await fillWizard(page, fleet);
    await expect(page.getByTestId('dry-run-devices')).toHaveText('1,000 devices');
    await expect(page.getByTestId('dry-run-batches')).toHaveText('10 batches of up to 100 devices');
    await expect(page.getByText('Cancelled as soon as more than 50 devices fail in a batch.')).toBeVisible();
    const curl = await page.getByRole('textbox', { name: 'The same request with curl' }).inputValue();
    expect(curl).toContain(`curl -X PUT '${emulator.url}/api/jobs/`);
    expect(curl).toContain('"batch":{"type":"percentage","value":10}');
    await screenshot('job-wizard');
  });

  const jobId = await page.getByRole('textbox', { name: 'Job id' }).inputValue();
  await page.getByRole('button', { name: 'Create job' }).click();

  await test.step('the detail page follows the job live; stop and resume it', async () => {
    await expect(page.getByRole('heading', { level: 1, name: JOB_NAME })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`#/jobs/details/${jobId}$`));
    const status = page.getByTestId('job-status');
    await expect(status).toHaveText('running');
    await expect(page.getByRole('progressbar', { name: 'Batch 1', exact: true })).not.toHaveAttribute('aria-valuenow', '0');
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(status).toHaveText('stopped');
    expect((await jobFromApi(request, emulator, jobId)).status).toBe('stopped');
    await expect(page.getByRole('progressbar', { name: 'Overall progress' })).not.toHaveAttribute('aria-valuenow', '1000');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect(status).toHaveText('running');
    // Resume replaced itself with Stop: the keyboard focus stays in the row of actions.
    await expect(page.getByRole('button', { name: 'Stop' })).toBeFocused();
    await expect(page.getByTestId('running-batch')).toHaveText(/^Batch \d+ of 10 is running\.$/);
  });

  await test.step('Home lists the running job with its live progress, and leads back to it', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
    const running = page.getByRole('region', { name: 'Running jobs' });
    const progress = running.getByRole('progressbar', { name: `Progress of ${JOB_NAME}` });
    const before = Number(await progress.getAttribute('value'));
    await expect.poll(async () => Number(await progress.getAttribute('value'))).toBeGreaterThan(before);
    await running.getByRole('link', { name: JOB_NAME }).click();
    await expect(page.getByTestId('job-status')).toHaveText('complete', { timeout: 60_000 });
  });

  const done = await jobFromApi(request, emulator, jobId);
  expect(done.progress.total).toBe(1000);
  expect(done.progress.pending).toBe(0);
  expect(done.progress.failed).toBeGreaterThan(0);

  await test.step('the page ends on the final counts, per batch and per device', async () => {
    await expect(page.getByTestId('job-counts')).toContainText(`${done.progress.completed} completed · ${done.progress.failed} failed · 0 pending of 1,000`);
    await expect(page.getByRole('progressbar', { name: /^Batch \d+$/ })).toHaveCount(10);
    await page.getByLabel('Device status').selectOption('failed');
    await expect(page.getByRole('status').filter({ hasText: new RegExp(`^${done.progress.failed} devices$`) })).toBeVisible();
    const firstRow = page.getByRole('grid', { name: 'Devices of this job' }).getByRole('row').nth(1);
    await expect(firstRow).toContainText('failed');
    await expect(firstRow).toContainText('The device rejected the property update.');
    await page.getByLabel('Search device id').fill(`${fleet.idPrefix}-1000`);
    await expect(page.getByRole('status').filter({ hasText: /^[01] devices?$/ })).toBeVisible();
    await page.getByLabel('Search device id').fill('');
    await page.getByLabel('Device status').selectOption('');
    await expect(page.getByRole('status').filter({ hasText: /^1,000 devices$/ })).toBeVisible();
  });

  await test.step('the chart covers the whole job, from its start to its final counts', async () => {
    // The page was open for the whole run here; the reload shows what someone opening the finished job sees.
    await page.reload();
    const chart = page.getByRole('img', { name: /^Outcomes over/ });
    await expect(chart).toHaveAccessibleName(new RegExp(`: ${done.progress.completed} completed, ${done.progress.failed} failed of 1000$`));
    await expect(page.getByRole('figure')).toContainText('s of simulated time');
    await expect(page.getByRole('figure')).not.toContainText('spread over its batches');
    await screenshot('job-detail');
  });

  await test.step('Download results gives one table of devices with their batch; the summary is a table of its own', async () => {
    const downloaded = async (button: string) => {
      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name: button }).click();
      const download = await downloading;
      return { name: download.suggestedFilename(), lines: (await readFile((await download.path())!, 'utf8')).split('\r\n') };
    };
    const results = await downloaded('Download results');
    expect(results.name).toBe(`job-${jobId}-results.csv`);
    expect(results.lines[0]).toBe('Device ID,Batch,Status,Error');
    const devices = results.lines.slice(1).filter(Boolean);
    expect(devices).toHaveLength(1000);
    expect(devices[0]).toMatch(new RegExp(`^${fleet.idPrefix}-1,1,(completed,|failed,The device rejected the property update\\.)$`));
    expect(devices[999]).toMatch(new RegExp(`^${fleet.idPrefix}-1000,10,`));
    expect(devices.filter((line) => line.includes(',failed,'))).toHaveLength(done.progress.failed);

    const summary = await downloaded('Download summary');
    expect(summary.name).toBe(`job-${jobId}-summary.csv`);
    expect(summary.lines[0]).toBe('Job ID,Name,Description,Status,Device group,Job type,Target,Value,Start,End,Total,Completed,Failed,Pending');
    expect(summary.lines[1]).toMatch(new RegExp(`^${jobId},${JOB_NAME},Raise every E2E thermostat to 21.5 °C,complete,${fleet.group},property,targetTemperature,21.5,`));
    expect(summary.lines[1]).toMatch(new RegExp(`,1000,${done.progress.completed},${done.progress.failed},0$`));
    expect(summary.lines.filter(Boolean)).toHaveLength(2);
  });

  await test.step('Rerun on failed devices starts a job on exactly those devices', async () => {
    await page.getByRole('button', { name: 'Rerun on failed devices' }).click();
    await expect(page).not.toHaveURL(new RegExp(`#/jobs/details/${jobId}$`));
    await expect(page.getByTestId('job-status')).toHaveText('complete', { timeout: 30_000 });
    const rerunId = decodeURIComponent(new URL(page.url()).hash.split('/').at(-1)!);
    const rerun = await jobFromApi(request, emulator, rerunId);
    expect(rerun.progress.total).toBe(done.progress.failed);
  });

  await test.step('the job list shows both jobs with status chips and progress', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs', exact: true }).click();
    const rows = page.getByRole('row').filter({ hasText: JOB_NAME });
    await expect(rows).toHaveCount(2);
    await expect(page.getByRole('progressbar', { name: `Progress of ${JOB_NAME}` })).toHaveCount(2);
    await page.getByLabel('Status').selectOption('running');
    await expect(page.getByText('No job matches this filter.')).toBeVisible();
    await page.getByLabel('Status').selectOption('');
    await screenshot('jobs-list');
  });
}
