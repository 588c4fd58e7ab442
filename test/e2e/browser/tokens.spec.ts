import { expect, test } from '../fixtures/emulator.js';
import { saveScreenshot } from '../screenshots.js';


test('create an Operator token, use it once, revoke it', async ({ page, playwright, emulator }) => {
  await page.goto(`${emulator.url}/#/tokens`);
  await page.getByLabel('Token id').fill('e2e-operator');
  await page.getByLabel('Role').selectOption({ label: 'App Operator' });
  await page.getByRole('button', { name: 'Create token' }).click();

  const shown = page.getByRole('textbox', { name: 'Token e2e-operator' });
  await expect(shown).toHaveValue(/^SharedAccessSignature sr=.+&sig=.+&skn=e2e-operator&se=\d+$/);
  const token = await shown.inputValue();
  await expect(page.getByRole('row', { name: /e2e-operator\s+App Operator\s+\d/ })).toBeVisible();
  await saveScreenshot(page, 'tokens');

  const client = await playwright.request.newContext();
  try {
    const jobs = `${emulator.url}/api/jobs?api-version=2022-07-31`;
    expect((await client.get(jobs, { headers: { authorization: token } })).status()).toBe(200);

    await page.getByRole('button', { name: 'Revoke token e2e-operator' }).click();
    const confirmation = page.getByRole('dialog', { name: 'Revoke token e2e-operator?' });
    await expect(confirmation).toContainText('Every client that uses it is refused (401) from now on.');
    await confirmation.getByRole('button', { name: 'Revoke token' }).click();
    await expect(page.getByRole('row', { name: /e2e-operator/ })).toHaveCount(0);
    await expect(shown).toHaveCount(0);
    expect((await client.get(jobs, { headers: { authorization: token } })).status()).toBe(401);
  } finally {
    await client.dispose();
  }
});

test('a token id the API would refuse is explained next to the field', async ({ page, emulator }) => {
  await page.goto(`${emulator.url}/#/tokens`);
  await page.getByLabel('Token id').fill('has spaces');
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.locator('#token-id-error')).toHaveText('Use letters, digits, "_" and "-" only (up to 255).');
  await expect(page.getByLabel('Token id')).toHaveAccessibleDescription('Use letters, digits, "_" and "-" only (up to 255).');
});
