import { createHmac } from 'node:crypto';
import deviceSdk from 'azure-iot-device';
import deviceMqtt from 'azure-iot-device-mqtt';
import mqttBase from 'azure-iot-mqtt-base';
import provisioningSdk from 'azure-iot-provisioning-device';
import provisioningMqtt from 'azure-iot-provisioning-device-mqtt';
import symmetricKey from 'azure-iot-security-symmetric-key';
import type { HttpClient } from './http-client.js';
import { summarize, type Summary } from './stats.js';

const API = 'api-version=2022-07-31';
const TEMPLATE_ID = 'dtmi:fleetlab:benchRealThermostat;1';
const GROUP_ID = 'bench-real-devices';

interface Endpoints {
  idScope: string;
  provisioningHost: string;
}

export interface RealDeviceFigures {
  devices: number;
  provisioning: Summary;
  hubConnect: Summary;
  /** From PUT /api/jobs/{id} to the job's `complete`, every device acking over MQTT. */
  jobMs: number;
  completed: number;
}

type Client = InstanceType<typeof deviceSdk.Client>;

/**
 * `count` devices on Microsoft's device SDK, all at once: each provisions through DPS with its group-derived key and
 * connects to the hub over MQTT/TLS; then one property job on all of them, which each acknowledges with ac 200.
 */
export async function measureRealDevices(client: HttpClient, count: number): Promise<RealDeviceFigures> {
  const info = (await client.json('GET', '/_fleetlab/info')) as { devices: Endpoints };
  const ca = (await client.request('GET', '/_fleetlab/ca.pem')).body;
  const groups = (await client.json('GET', `/api/enrollmentGroups?${API}`)) as { value: { attestation: { symmetricKey: { primaryKey: string } } }[] };
  const groupKey = groups.value[0]!.attestation.symmetricKey.primaryKey;
  await client.json('PUT', `/api/deviceTemplates/${TEMPLATE_ID}?${API}`, {
    '@type': ['ModelDefinition', 'DeviceModel'],
    displayName: 'Bench real thermostat',
    capabilityModel: { '@id': TEMPLATE_ID, '@type': 'Interface', contents: [{ '@type': 'Property', name: 'targetTemperature', schema: 'double', writable: true }] },
  });
  const provisioning: number[] = [];
  const hubConnect: number[] = [];
  const clients: Client[] = [];
  try {
    await Promise.all(
      Array.from({ length: count }, async (_, n) => {
        const id = `bench-real-${n + 1}`;
        const key = createHmac('sha256', Buffer.from(groupKey, 'base64')).update(id).digest('base64');
        let started = performance.now();
        const hub = await provision(info.devices, ca, id, key);
        provisioning.push(performance.now() - started);
        started = performance.now();
        clients.push(await connect(hub, id, key, ca));
        hubConnect.push(performance.now() - started);
      }),
    );
    await client.json('PUT', `/api/deviceGroups/${GROUP_ID}?${API}`, { displayName: 'Bench real devices', filter: `SELECT * FROM devices WHERE $template = "${TEMPLATE_ID}"` });
    const started = performance.now();
    await client.json('PUT', `/api/jobs/bench-real-job?${API}`, { group: GROUP_ID, data: [{ type: 'property', target: TEMPLATE_ID, path: 'targetTemperature', value: 20 }] });
    for (;;) {
      const job = (await client.json('GET', `/api/jobs/bench-real-job?${API}`)) as { status: string; progress?: { completed: number } };
      if (job.status === 'complete') {
        return { devices: count, provisioning: summarize(provisioning), hubConnect: summarize(hubConnect), jobMs: performance.now() - started, completed: job.progress?.completed ?? 0 };
      }
      if (job.status !== 'running' && job.status !== 'pending') throw new Error(`the job ended ${job.status}`);
      if (performance.now() - started > 120_000) throw new Error('the job on the real devices did not complete within 120 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await Promise.allSettled(clients.map((device) => device.close()));
  }
}

async function provision(endpoints: Endpoints, ca: string, id: string, key: string): Promise<string> {
  const base = new mqttBase.MqttBase();
  base.setOptions({ ca });
  const transport = new provisioningMqtt.Mqtt(base as never);
  const dps = provisioningSdk.ProvisioningDeviceClient.create(endpoints.provisioningHost, endpoints.idScope, transport, new symmetricKey.SymmetricKeySecurityClient(id, key) as never);
  dps.setProvisioningPayload({ modelId: TEMPLATE_ID });
  const result = (await dps.register()) as { assignedHub: string };
  return result.assignedHub;
}

async function connect(hub: string, id: string, key: string, ca: string): Promise<Client> {
  const device = deviceSdk.Client.fromConnectionString(`HostName=${hub};DeviceId=${id};SharedAccessKey=${key}`, deviceMqtt.Mqtt);
  await device.setOptions({ ca });
  await device.open();
  const twin = await device.getTwin();
  twin.on('properties.desired', (delta: Record<string, unknown>) => {
    if (delta.targetTemperature === undefined) return;
    twin.properties.reported.update({ targetTemperature: { value: delta.targetTemperature, ac: 200, av: delta.$version, ad: 'ok' } }, () => undefined);
  });
  return device;
}
