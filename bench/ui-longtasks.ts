import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export interface LongTaskOptions {
  /** A running emulator (with its built UI) and an App Administrator token for it. */
  url: string;
  token: string;
  devices?: number;
  /** How long to watch the job's page while the job runs. */
  watchMs?: number;
  chromiumPath?: string;
}

export interface LongTaskResult {
  devices: number;
  watchedMs: number;
  /** Main-thread tasks over 50 ms (the Long Tasks API threshold), in ms. */
  longTasks: number[];
  longestMs: number;
  /** The figure the issue sets: no main-thread task over 100 ms. */
  over100ms: number;
}

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const TEMPLATE = 'dtmi:fleetlab:uibench;1';
const GROUP = 'ui-bench';

async function call(options: LongTaskOptions, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${options.url}${path}`, {
    method,
    headers: { authorization: options.token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

/**
 * Opens a running 1M-device job's detail page in Chromium and records every main-thread long task
 * (PerformanceObserver 'longtask') while the job runs and the device table is scrolled. Not a timed test:
 * `npm run bench` prints the figures.
 */
export async function measureJobPageLongTasks(options: LongTaskOptions): Promise<LongTaskResult> {
  const devices = options.devices ?? 1_000_000;
  const watchMs = options.watchMs ?? 15_000;
  const v = 'api-version=2022-07-31';
  await call(options, 'PUT', `/api/deviceTemplates/${encodeURIComponent(TEMPLATE)}?${v}`, {
    '@type': ['ModelDefinition', 'DeviceModel'],
    displayName: 'UI bench device',
    capabilityModel: { '@id': 'dtmi:fleetlab:uibenchModel;1', '@type': 'Interface', contents: [{ '@type': 'Property', name: 'setpoint', schema: 'double', writable: true }] },
  });
  await call(options, 'POST', '/_fleetlab/fleet', { template: TEMPLATE, count: devices, idPrefix: 'uibench' });
  await call(options, 'PUT', `/api/deviceGroups/${GROUP}?${v}`, { displayName: 'UI bench', filter: `SELECT * FROM devices WHERE $template = "${TEMPLATE}"` });
  // Real time, so that the job is still running while the page is watched.
  await call(options, 'PUT', '/_fleetlab/simulation', { timeScale: 1, defaults: { propertyFailureRate: 0.05, latencyMs: { min: 500, max: 3000 } } });
  const jobId = `ui-bench-${Date.now()}`;
  await call(options, 'PUT', `/api/jobs/${jobId}?${v}`, {
    displayName: 'UI bench',
    group: GROUP,
    batch: { type: 'percentage', value: 10 },
    data: [{ type: 'property', target: TEMPLATE, path: 'setpoint', value: 20 }],
  });

  const executablePath = options.chromiumPath ?? (existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined);
  const browser = await chromium.launch({ headless: true, executablePath, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Strings, not functions: this file compiles without the DOM types.
    await page.addInitScript(`
      window.longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((entry) => window.longTasks.push(entry.duration)))
        .observe({ type: 'longtask', buffered: true });
    `);
    // The page signs in as a user's browser does: through a one-time UI address.
    const { url: uiUrl } = (await call(options, 'POST', '/_fleetlab/session-codes')) as { url: string };
    await page.goto(uiUrl);
    await page.goto(`${options.url}/#/jobs/details/${jobId}`);
    await page.getByRole('grid', { name: 'Devices of this job' }).waitFor();
    // Startup work (parsing the bundle) is not what the figure is about.
    await page.evaluate('window.longTasks.length = 0');

    const viewport = page.locator('.viewport');
    const started = Date.now();
    for (let step = 0; Date.now() - started < watchMs; step++) {
      await viewport.evaluate((element, fraction) => element.scrollTo({ top: element.scrollHeight * fraction }), (step % 10) / 10);
      await page.waitForTimeout(250);
    }
    const longTasks = (await page.evaluate('window.longTasks')) as number[];
    await call(options, 'POST', `/api/jobs/${jobId}/stop?${v}`).catch(() => undefined);
    return {
      devices,
      watchedMs: Date.now() - started,
      longTasks,
      longestMs: Math.max(0, ...longTasks),
      over100ms: longTasks.filter((duration) => duration > 100).length,
    };
  } finally {
    await browser.close();
  }
}
