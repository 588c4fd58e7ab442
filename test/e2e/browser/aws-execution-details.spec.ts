import { StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand, IoTJobsDataPlaneClient } from '@aws-sdk/client-iot-jobs-data-plane';
import { expect, test } from '../fixtures/emulator.js';

test("an agent's statusDetails read as its reason in words, then its other keys as key: value", async ({ page, request, emulator }) => {
  const headers = { authorization: emulator.token };
  const template = 'dtmi:fleetlab:e2e:agented;1';
  const put = await request.put(`${emulator.url}/api/deviceTemplates/${encodeURIComponent(template)}?api-version=2022-07-31`, {
    headers,
    data: { '@type': ['ModelDefinition', 'DeviceModel'], displayName: 'Agented', capabilityModel: { '@id': 'dtmi:fleetlab:e2e:agentedModel;1', '@type': 'Interface', contents: [] } },
  });
  expect(put.ok(), await put.text()).toBe(true);
  expect((await request.post(`${emulator.url}/_fleetlab/fleet`, { headers, data: { template, count: 1, idPrefix: 'agented' } })).status()).toBe(201);
  expect((await request.put(`${emulator.url}/_fleetlab/devices/agented-1/behavior`, { headers, data: { external: true } })).ok()).toBe(true);
  const job = await request.post(`${emulator.url}/_fleetlab/aws/jobs`, { headers, data: { jobId: 'agented-ota', thingNames: ['agented-1'], document: '{"operation":"install"}' } });
  expect(job.status(), await job.text()).toBe(201);

  const agent = new IoTJobsDataPlaneClient({ endpoint: `${emulator.url}/aws-jobs-data`, region: 'us-east-1', credentials: { accessKeyId: 'fleetlab', secretAccessKey: 'fleetlab-secret' }, maxAttempts: 1 });
  try {
    await expect.poll(async () => (await agent.send(new StartNextPendingJobExecutionCommand({ thingName: 'agented-1' }))).execution?.jobId).toBe('agented-ota');
    await agent.send(new UpdateJobExecutionCommand({ thingName: 'agented-1', jobId: 'agented-ota', status: 'FAILED', statusDetails: { reason: 'The battery is too low to flash.', step: 'flash' } }));
  } finally {
    agent.destroy();
  }

  await page.goto(`${emulator.url}/#/jobs/aws/agented-ota`);
  const row = page.getByRole('grid', { name: 'Executions of this job' }).getByRole('row').filter({ hasText: 'agented-1' });
  await expect(row.getByRole('gridcell').nth(2)).toHaveText('The battery is too low to flash. · step: flash');
});
