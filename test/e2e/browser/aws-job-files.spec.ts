import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect, test } from '../fixtures/emulator.js';

const PLACEHOLDER = '${aws:iot:s3-presigned-url:https://s3.amazonaws.com/firmware/valve-fw-3.1.bin}';

test('the AWS job wizard puts a firmware file into the local S3, and the job shows its document with the placeholder marked', async ({ page, request, emulator }) => {
  test.setTimeout(60_000);
  const headers = { authorization: emulator.token };
  const template = 'dtmi:fleetlab:e2e:otavalve;1';
  const put = await request.put(`${emulator.url}/api/deviceTemplates/${encodeURIComponent(template)}?api-version=2022-07-31`, {
    headers,
    data: { '@type': ['ModelDefinition', 'DeviceModel'], displayName: 'OTA valve', capabilityModel: { '@id': 'dtmi:fleetlab:e2e:otavalveModel;1', '@type': 'Interface', contents: [] } },
  });
  expect(put.ok(), await put.text()).toBe(true);
  expect((await request.post(`${emulator.url}/_fleetlab/fleet`, { headers, data: { template, count: 3, idPrefix: 'otavalve' } })).status()).toBe(201);
  const sim = await request.put(`${emulator.url}/_fleetlab/simulation`, { headers, data: { timeScale: 0, defaults: { commandFailureRate: 0, offlineRate: 0 } } });
  expect(sim.ok(), await sim.text()).toBe(true);

  const firmware = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) & 0xff));
  await page.goto(`${emulator.url}/#/jobs/new`);
  await page.getByRole('radio', { name: 'AWS IoT job' }).check();
  await page.getByRole('textbox', { name: 'Job id' }).fill('valve-ota');
  await page.getByRole('textbox', { name: 'Things' }).fill('otavalve-1, otavalve-2, otavalve-3');
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'valve-fw-3.1.bin', mimeType: 'application/octet-stream', buffer: firmware });
  await page.getByRole('button', { name: 'Put into the local S3' }).click();
  await expect(page.getByTestId('aws-file-stored')).toContainText(`s3://firmware/valve-fw-3.1.bin (${firmware.length} bytes)`);
  await expect(page.getByRole('textbox', { name: 'Job document (JSON)' })).toHaveValue(new RegExp(PLACEHOLDER.replace(/[$.{}/]/g, '\\$&')));

  await page.getByRole('button', { name: 'Create AWS job' }).click();
  await expect(page).toHaveURL(/#\/jobs\/aws\/valve-ota$/);
  await expect(page.getByTestId('job-status')).toHaveText('COMPLETED', { timeout: 30_000 });
  await expect(page.getByTestId('count-SUCCEEDED')).toHaveText('3');
  await expect(page.getByTestId('document-placeholder')).toHaveText(PLACEHOLDER);
  await expect(page.getByText('Marked: one placeholder')).toBeVisible();

  // The file is in the local S3, byte for byte, for any S3 client.
  const s3 = new S3Client({ endpoint: `${emulator.url}/s3`, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'fleetlab', secretAccessKey: 'fleetlab-secret' }, maxAttempts: 1 });
  const stored = await s3.send(new GetObjectCommand({ Bucket: 'firmware', Key: 'valve-fw-3.1.bin' }));
  expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(firmware)).toBe(true);
  s3.destroy();
});
