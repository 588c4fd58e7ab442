import { expect, test } from '../fixtures/emulator.js';

test('the simulated clock ticks at the simulation speed without asking the emulator every second', async ({ page, request, emulator }) => {
  const headers = { authorization: emulator.token };
  const { timeScale } = (await (await request.get(`${emulator.url}/_fleetlab/simulation`, { headers })).json()) as { timeScale: number };
  expect((await request.put(`${emulator.url}/_fleetlab/simulation`, { headers, data: { timeScale: 100 } })).ok()).toBe(true);
  const simulationReads: string[] = [];
  page.on('request', (sent) => {
    if (new URL(sent.url()).pathname === '/_fleetlab/simulation') simulationReads.push(sent.method());
  });

  await page.goto(`${emulator.url}/#/simulation`);
  const clock = page.getByTestId('simulated-now');
  await expect(page.getByText('100 times as fast as real time.')).toBeVisible();
  const first = Date.parse((await clock.getAttribute('datetime')) ?? '');
  const firstText = (await clock.textContent()) ?? '';
  // Two ticks of the page at 100×: more than a simulated minute later.
  await expect.poll(async () => Date.parse((await clock.getAttribute('datetime')) ?? '') - first, { timeout: 10_000 }).toBeGreaterThan(60_000);
  await expect(clock).not.toHaveText(firstText);
  expect(simulationReads).toEqual(['GET']);

  // As fast as possible says how its time moves.
  await page.getByRole('radio', { name: 'As fast as possible' }).check();
  await page.getByRole('button', { name: 'Save seed and speed' }).click();
  await expect(page.getByText('As fast as possible: simulated time runs like real time while no job runs, and jumps ahead while one does.')).toBeVisible();
  expect((await request.put(`${emulator.url}/_fleetlab/simulation`, { headers, data: { timeScale } })).ok()).toBe(true);
});
