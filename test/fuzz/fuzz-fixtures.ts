import { AddThingToThingGroupCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand, IoTClient } from '@aws-sdk/client-iot';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_AWS_CREDENTIALS } from '../../electron/api/aws/credentials.js';
import { ROLES } from '../../electron/domain/roles.js';
import { THERMOSTAT_ID, THERMOSTAT_TEMPLATE } from '../api/central/job-fixtures.js';
import { REGION } from './aws-requests.js';
import { expectCall, type FuzzEmulator } from './fuzz-emulator.js';

const V = 'api-version=2022-10-31-preview';

/** What the fuzzed requests name: ids that exist after seeding, and a few that do not (yet). */
export const FIXTURE = {
  devices: ['fz-dev-1', 'fz-dev-2', 'fz-dev-3'],
  group: 'fz-group',
  job: 'fz-job',
  organization: 'fz-org',
  things: ['fz-thing-1', 'fz-thing-2', 'fz-thing-3'],
  thingGroups: ['fz-things', 'fz-things-2'],
  awsJobs: ['fz-aws-job', 'fz-aws-job-2'],
  buckets: ['fz-bucket', 'fz-files'],
  keys: ['firmware.bin', 'dir/file.json', 'fresh-key'],
} as const;

/** IoT Central: the how-to's thermostat template, simulated devices, a group and a job run on them, an organization. */
export async function seedCentral(emulator: FuzzEmulator): Promise<void> {
  await expectCall(emulator, 200, 'PUT', `/api/deviceTemplates/${THERMOSTAT_ID}?${V}`, THERMOSTAT_TEMPLATE);
  for (const id of FIXTURE.devices) await expectCall(emulator, 200, 'PUT', `/api/devices/${id}?${V}`, { displayName: id, template: THERMOSTAT_ID, simulated: true, enabled: true });
  await expectCall(emulator, 200, 'PUT', `/api/deviceGroups/${FIXTURE.group}?${V}`, { displayName: 'Fuzz', filter: `SELECT * FROM devices WHERE $template = "${THERMOSTAT_ID}"` });
  await expectCall(emulator, 200, 'PUT', `/api/organizations/${FIXTURE.organization}?${V}`, { displayName: 'Fuzz org' });
  await expectCall(emulator, 200, 'PUT', `/api/jobs/${FIXTURE.job}?${V}`, { group: FIXTURE.group, data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 21 }] });
}

/** AWS IoT through the real SDKs: things in a thing group, a job on it, two buckets and a job file. */
export async function seedAws(emulator: FuzzEmulator): Promise<void> {
  const iot = new IoTClient({ endpoint: `${emulator.url}/aws`, region: REGION, credentials: DEFAULT_AWS_CREDENTIALS, maxAttempts: 1 });
  const s3 = new S3Client({ endpoint: `${emulator.url}/s3`, region: REGION, credentials: DEFAULT_AWS_CREDENTIALS, forcePathStyle: true, maxAttempts: 1 });
  for (const thingGroupName of FIXTURE.thingGroups) await iot.send(new CreateThingGroupCommand({ thingGroupName }));
  for (const thingName of FIXTURE.things) {
    await iot.send(new CreateThingCommand({ thingName, attributePayload: { attributes: { fuzz: 'yes' } } }));
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: FIXTURE.thingGroups[0], thingName }));
  }
  await iot.send(new CreateJobCommand({ jobId: FIXTURE.awsJobs[0], targets: [`arn:aws:iot:${REGION}:123456789012:thinggroup/${FIXTURE.thingGroups[0]}`], document: '{"op":"fuzz"}' }));
  for (const Bucket of FIXTURE.buckets) await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutObjectCommand({ Bucket: FIXTURE.buckets[0], Key: FIXTURE.keys[0], Body: 'firmware bytes' }));
  await s3.send(new PutObjectCommand({ Bucket: FIXTURE.buckets[0], Key: FIXTURE.keys[1], Body: '{"a":1}' }));
  iot.destroy();
  s3.destroy();
}

/** Ids by IoT Central path parameter / body member. */
export function centralPools(): Record<string, string[]> {
  return {
    default: ['fz-new-1', 'fz-new-2'],
    deviceId: [...FIXTURE.devices],
    deviceTemplateId: [THERMOSTAT_ID],
    deviceGroupId: [FIXTURE.group],
    jobId: [FIXTURE.job],
    scheduledJobId: ['fz-sched'],
    organizationId: [FIXTURE.organization],
    roleId: ROLES.map((role) => role.id),
    tokenId: ['fz-token'],
    componentName: ['settings', 'Thermostat_1o'],
    commandName: ['getMaxMinReport'],
    telemetryName: ['temperature'],
    rerunId: ['fz-rerun'],
  };
}
