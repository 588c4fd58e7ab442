import { createHmac } from 'node:crypto';
import { expect, test } from '../fixtures/emulator.js';
import { connectDevice, deriveDeviceKey, provision, type DeviceEndpoints, type SdkDevice } from '../../helpers/iot-hub-device.js';

test('the Devices page shows how to connect a real device, a ready connection string, and who is connected', async ({ page, request, emulator }) => {
  const headers = { authorization: emulator.token };
  const info = (await (await request.get(`${emulator.url}/_fleetlab/info`, { headers })).json()) as { devices: DeviceEndpoints };
  const groups = (await (await request.get(`${emulator.url}/api/enrollmentGroups?api-version=2022-07-31`, { headers })).json()) as {
    value: { attestation: { symmetricKey: { primaryKey: string } } }[];
  };
  const groupKey = groups.value[0]!.attestation.symmetricKey.primaryKey;
  await page.goto(`${emulator.url}/#/devices`);
  const card = page.getByRole('region', { name: 'Connect real devices' });
  await expect(card.getByLabel('ID scope', { exact: true })).toHaveValue(info.devices.idScope);
  await expect(card.getByLabel('DPS and hub host', { exact: true })).toHaveValue(info.devices.hubHost);
  await expect(card.getByLabel('Group key (SAS-IoT-Devices)', { exact: true })).toHaveValue(groupKey);

  await card.getByLabel('Device id', { exact: true }).fill('bench-7');
  const key = createHmac('sha256', Buffer.from(groupKey, 'base64')).update('bench-7').digest('base64');
  await expect(card.getByLabel('Connection string', { exact: true })).toHaveValue(`HostName=${info.devices.hubHost};DeviceId=bench-7;SharedAccessKey=${key}`);

  await expect(card.getByTestId('connected-devices')).toHaveText('No real device is connected.');
  const ca = await (await request.get(`${emulator.url}/_fleetlab/ca.pem`, { headers })).text();
  const target = { endpoints: info.devices, ca };
  const deviceKey = deriveDeviceKey(groupKey, 'ui-device');
  const { assignedHub } = await provision(target, 'ui-device', deviceKey);
  let device: SdkDevice | undefined;
  try {
    device = await connectDevice(target, assignedHub, 'ui-device', deviceKey, {});
    await expect(card.getByTestId('connected-devices')).toContainText('ui-device over MQTT/TLS', { timeout: 10_000 });
  } finally {
    await device?.close();
  }
});
