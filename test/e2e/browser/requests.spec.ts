import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect, test } from '../fixtures/emulator.js';
import { saveScreenshot } from '../screenshots.js';

const HAS_CURL = ['/usr/bin/curl', '/bin/curl', '/usr/local/bin/curl'].some((candidate) => existsSync(candidate));

test('a request made with curl appears in the request log with its bodies', async ({ page, emulator }) => {
  test.skip(!HAS_CURL, 'curl is not installed on this machine, so no request can be made with it');
  const run = promisify(execFile);
  const url = `${emulator.url}/api/devices/curl-made?api-version=2022-07-31`;
  await run('curl', ['--silent', '-X', 'PUT', '-H', `Authorization: ${emulator.token}`, '-H', 'content-type: application/json', '--data', '{"displayName":"Made by curl"}', url]);
  await run('curl', ['--silent', '-X', 'PUT', '-H', `Authorization: ${emulator.token}`, '-H', 'content-type: application/json', '--data', '{"displayName":', url]);

  await page.goto(`${emulator.url}/#/requests`);
  const path = '/api/devices/curl-made?api-version=2022-07-31';
  const rows = page.getByRole('row').filter({ has: page.getByRole('button', { name: path }) });
  await expect(rows).toHaveCount(2);
  // Newest first: the malformed body's 400 is on top.
  await expect(rows.nth(0)).toContainText('400');
  await expect(rows.nth(1)).toContainText('200');

  await rows.nth(1).getByRole('button', { name: path }).click();
  const detail = page.getByRole('region', { name: `Request PUT ${path}` });
  await expect(detail.getByLabel('Request body')).toContainText('"displayName": "Made by curl"');
  await expect(detail.getByLabel('Response body')).toContainText('"id": "curl-made"');
  await expect(detail).toContainText('authorization: (redacted)');
  await expect(detail).not.toContainText(emulator.token);
  await saveScreenshot(page, 'request-log');

  // The UI's own calls (it lists the templates) stay out of the way unless asked for; other specs' seeding may be listed.
  await expect(page.getByRole('button', { name: /^\/api\/deviceTemplates\?/ })).toHaveCount(0);
  await page.goto(`${emulator.url}/#/templates`);
  await page.goto(`${emulator.url}/#/requests`);
  await page.getByLabel("Show the UI's own requests").check();
  await expect(page.getByRole('button', { name: /^\/api\/deviceTemplates\?/ }).first()).toBeVisible();
});
