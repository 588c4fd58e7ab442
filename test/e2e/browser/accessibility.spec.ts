import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { freshUiUrl, signIn, startEmulator, type RunningEmulator } from '../fixtures/emulator.js';
import { fillWizard, seedFleet, type Fleet } from '../scenarios/job-scenario.js';

// axe (@axe-core/playwright) on every screen, with data on it and with its panels and dialogs open: no serious or
// critical violation. Next to it, checks written against what a keyboard or screen-reader user meets: every control
// has a name, every form field a label that getByLabel finds, and Tab reaches every control of the busiest screens.

/** Roles a user operates; Playwright's aria snapshot prints them without a quoted name when they have none. */
const OPERABLE = ['button', 'link', 'textbox', 'searchbox', 'combobox', 'listbox', 'checkbox', 'radio', 'switch', 'spinbutton', 'slider', 'tab', 'menuitem'];
const UNNAMED = new RegExp(`^\\s*- (${OPERABLE.join('|')})(?: \\[[^\\]]*\\])*:?\\s*$`);

// The test build has no DOM types (it typechecks Node code); these are the few members the in-page checks use.
interface AuditElement {
  outerHTML: string;
  textContent: string | null;
  dataset: Record<string, string | undefined>;
  labels?: ArrayLike<AuditElement> | null;
  type?: string;
  name?: string;
  getAttribute(name: string): string | null;
  checkVisibility(): boolean;
  blur(): void;
}
interface AuditDocument {
  activeElement: AuditElement | null;
  getElementById(id: string): AuditElement | null;
  querySelector(selector: string): AuditElement | null;
  querySelectorAll(selector: string): Iterable<AuditElement>;
}
type PageGlobals = { document: AuditDocument };

/** Operable elements without an accessible name, as their aria-snapshot lines. */
async function unnamedControls(page: Page): Promise<string[]> {
  const snapshot = await page.locator('body').ariaSnapshot();
  return snapshot.split('\n').filter((line) => UNNAMED.test(line)).map((line) => line.trim());
}

/** Form fields that getByLabel cannot find by their own label text. */
async function unlabelledFields(page: Page): Promise<string[]> {
  const fields = page.locator('input:not([type=hidden]), select, textarea').filter({ visible: true });
  const problems: string[] = [];
  for (const field of await fields.all()) {
    const { label, describe } = await field.evaluate((element) => {
      const control = element as unknown as AuditElement;
      const { document } = globalThis as unknown as PageGlobals;
      const byId = (ids: string) => ids.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
      const text =
        control.getAttribute('aria-label') ??
        (control.getAttribute('aria-labelledby') ? byId(control.getAttribute('aria-labelledby')!) : null) ??
        Array.from(control.labels ?? [], (label) => label.textContent ?? '').join(' ');
      return { label: text.replace(/\s+/g, ' ').trim(), describe: control.outerHTML.slice(0, 120) };
    });
    if (!label) {
      problems.push(`no label: ${describe}`);
      continue;
    }
    const handle = await field.elementHandle();
    const found = await page.getByLabel(label, { exact: true }).evaluateAll((matches, target) => matches.includes(target as never), handle);
    if (!found) problems.push(`getByLabel(${JSON.stringify(label)}) does not find ${describe}`);
  }
  return problems;
}

/** axe's serious and critical violations, each as its rule, help text and the first elements it names. */
async function seriousAxeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(' | ')}`);
}

async function expectNamedAndLabelled(page: Page, screen: string): Promise<void> {
  expect(await unnamedControls(page), `${screen}: controls without an accessible name`).toEqual([]);
  expect(await unlabelledFields(page), `${screen}: fields without a label`).toEqual([]);
  expect(await seriousAxeViolations(page), `${screen}: axe`).toEqual([]);
}

/**
 * Presses Tab from the top of the page until focus has been on every control visible now (one radio per group is
 * enough: arrow keys move within a group, and a grid's rows other than the active one are reached with arrow keys, so
 * their controls are out of the Tab order), and returns how many it looked for and those it never reached.
 */
async function tabAudit(page: Page): Promise<{ controls: number; unreached: string[] }> {
  const count = await page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const selector = ['a[href]', 'button:not([disabled])', 'input:not([disabled]):not([type=hidden])', 'select:not([disabled])', 'textarea:not([disabled])']
      .map((control) => `${control}:not([tabindex="-1"])`)
      .join(', ');
    const groups = new Set<string>();
    let index = 0;
    for (const element of document.querySelectorAll(selector)) {
      if (!element.checkVisibility()) continue;
      if (element.getAttribute('type') === 'radio') {
        if (groups.has(element.name!)) continue;
        groups.add(element.name!);
        element.dataset.tabGroup = element.name;
      }
      element.dataset.tabAudit = String(index++);
    }
    document.activeElement?.blur();
    return index;
  });
  const reached = new Set<string>();
  for (let presses = 0; presses < count * 3 + 20 && reached.size < count; presses++) {
    await page.keyboard.press('Tab');
    const audit = await page.evaluate(() => {
      const { document } = globalThis as unknown as PageGlobals;
      const active = document.activeElement;
      if (active?.getAttribute('type') === 'radio') {
        return [...document.querySelectorAll('[data-tab-group]')].find((first) => first.name === active.name)?.dataset.tabAudit;
      }
      return active?.dataset.tabAudit;
    });
    if (audit !== undefined) reached.add(audit);
  }
  const unreached = await page.evaluate(
    (seen) =>
      [...(globalThis as unknown as PageGlobals).document.querySelectorAll('[data-tab-audit]')]
        .filter((element) => !seen.includes(element.dataset.tabAudit!))
        .map((element) => element.outerHTML.slice(0, 120)),
    [...reached],
  );
  return { controls: count, unreached };
}

test.describe('every screen can be used from the keyboard and with a screen reader', () => {
  test.describe.configure({ mode: 'serial' });
  let emulator: RunningEmulator;
  let fleet: Fleet;

  test.beforeAll(async ({ playwright }) => {
    // An emulator of its own: the screens are audited with data on them, which other spec files must not see.
    emulator = await startEmulator();
    const request = await playwright.request.newContext();
    try {
      fleet = await seedFleet(request, emulator, 'audit');
      const headers = { authorization: emulator.token };
      await request.put(`${emulator.url}/_fleetlab/simulation`, { headers, data: { timeScale: 0 } });
      const job = { displayName: 'Audit job', group: fleet.group, data: [{ type: 'property', target: fleet.template, path: 'targetTemperature', value: 20 }] };
      expect((await request.put(`${emulator.url}/api/jobs/audit-job?api-version=2022-07-31`, { headers, data: job })).ok()).toBe(true);
      const awsJob = { jobId: 'audit-aws', thingNames: ['audit-1', 'audit-2'], document: '{"operation":"reboot"}' };
      const aws = await request.post(`${emulator.url}/_fleetlab/aws/jobs`, { headers, data: awsJob });
      expect(aws.status(), await aws.text()).toBe(201);
      const schedule = { start: new Date(Date.now() + 86_400_000).toISOString(), recurrence: 'daily' };
      const scheduled = await request.put(`${emulator.url}/api/scheduledJobs/audit-nightly?api-version=2022-07-31`, { headers, data: { ...job, schedule } });
      expect(scheduled.ok(), await scheduled.text()).toBe(true);
    } finally {
      await request.dispose();
    }
  });

  test.afterAll(async () => {
    await emulator?.stop();
  });

  test.beforeEach(async ({ context }) => {
    await signIn(context, await freshUiUrl(emulator));
  });

  const SCREENS: { path: string; heading: string; open?: (page: Page) => Promise<void> }[] = [
    { path: '/', heading: 'Connect to Fleetlab' },
    { path: '/jobs', heading: 'Jobs' },
    { path: '/jobs/details/audit-job', heading: 'Audit job' },
    { path: '/jobs/aws/audit-aws', heading: 'audit-aws' },
    { path: '/jobs/new', heading: 'New job' },
    {
      path: '/devices',
      heading: 'Devices',
      open: async (page) => {
        await page.getByRole('button', { name: 'audit-3', exact: true }).click();
        await expect(page.getByRole('heading', { name: 'Device audit-3' })).toBeVisible();
      },
    },
    { path: '/templates', heading: 'Device templates' },
    {
      path: '/groups',
      heading: 'Device groups',
      open: async (page) => {
        await page.getByRole('button', { name: `Delete group Thermostats audit` }).click();
        await expect(page.getByRole('dialog', { name: 'Delete group Thermostats audit?' })).toBeVisible();
      },
    },
    {
      path: '/scheduled',
      heading: 'Scheduled jobs',
      open: async (page) => {
        await page.getByRole('button', { name: 'Runs of Audit job' }).click();
        await expect(page.getByRole('heading', { name: 'Runs of Audit job' })).toBeVisible();
        await page.getByRole('button', { name: 'Delete scheduled job Audit job' }).click();
        await expect(page.getByRole('dialog', { name: 'Delete scheduled job Audit job?' })).toBeVisible();
      },
    },
    { path: '/simulation', heading: 'Simulation' },
    { path: '/tokens', heading: 'API tokens' },
    {
      path: '/requests',
      heading: 'Request log',
      open: async (page) => {
        await page.getByLabel("Show the UI's own requests").check();
        await page.getByRole('button', { name: /^\/api\// }).first().click();
        await expect(page.getByRole('region', { name: /^Request / })).toBeVisible();
      },
    },
  ];

  for (const { path, heading, open } of SCREENS) {
    test(`${path}: every control has a name and every field a label`, async ({ page }) => {
      await page.goto(`${emulator.url}/#${path}`);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await page.waitForLoadState('networkidle');
      await expectNamedAndLabelled(page, path);
      if (open) {
        await open(page);
        await expectNamedAndLabelled(page, `${path} (opened)`);
      }
    });
  }

  test('the audit itself notices a nameless button, an unlabelled field and a control Tab skips, and so does axe', async ({ page }) => {
    await page.goto(`${emulator.url}/#/simulation`);
    await expect(page.getByRole('heading', { level: 1, name: 'Simulation' })).toBeVisible();
    await page.evaluate(() => {
      const { document } = globalThis as unknown as { document: { querySelector(selector: string): { insertAdjacentHTML(where: string, html: string): void } } };
      document.querySelector('main').insertAdjacentHTML('beforeend', '<button type="button"></button><input type="text"><div inert><button type="button">Skipped</button></div>');
    });
    expect(await unnamedControls(page)).toEqual(['- button', '- textbox']);
    expect(await unlabelledFields(page)).toEqual(['no label: <input type="text">']);
    expect((await seriousAxeViolations(page)).map((violation) => violation.split(' ')[0])).toEqual(expect.arrayContaining(['button-name', 'label']));
    const { unreached } = await tabAudit(page);
    expect(unreached).toHaveLength(1);
    expect(unreached[0]).toMatch(/^<button type="button".*>Skipped<\/button>$/);
  });

  test('Tab reaches every control of the New job wizard, filled in with every option showing', async ({ page }) => {
    await page.goto(`${emulator.url}/#/jobs/new`);
    await expect(page.getByRole('heading', { level: 1, name: 'New job' })).toBeVisible();
    const empty = await tabAudit(page);
    expect(empty.unreached, 'empty wizard').toEqual([]);
    await fillWizard(page, fleet);
    const filled = await tabAudit(page);
    expect(filled.unreached, 'filled wizard').toEqual([]);
    // The batch, threshold and value fields appeared: the audit looked at more controls.
    expect(filled.controls).toBeGreaterThan(empty.controls);
    await expectNamedAndLabelled(page, 'filled wizard');
  });

  test('Tab reaches every control of the Devices screen, and an opened device takes the focus', async ({ page }) => {
    await page.goto(`${emulator.url}/#/devices`);
    await expect(page.getByRole('grid', { name: 'Devices' }).getByRole('button', { name: 'audit-1', exact: true })).toBeVisible();
    const { controls, unreached } = await tabAudit(page);
    expect(unreached).toEqual([]);
    // The navigation, the forms, the filters, and the active row's checkbox and id button (arrow keys reach the others).
    expect(controls).toBeGreaterThan(20);

    await page.getByRole('button', { name: 'audit-2', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Device audit-2' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Close' })).toBeFocused();
    await expect(page.getByRole('radio', { name: 'By profile' })).toBeChecked();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('radio', { name: 'By profile' })).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('radio', { name: 'Online' })).toBeChecked();
    await page.getByRole('button', { name: 'Close' }).press('Enter');
    await expect(page.getByRole('button', { name: 'audit-2', exact: true })).toBeFocused();
  });
});
