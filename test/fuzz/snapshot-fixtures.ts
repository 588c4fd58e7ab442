import {
  AddThingToBillingGroupCommand,
  AttachThingPrincipalCommand,
  CreateBillingGroupCommand,
  CreateJobTemplateCommand,
  CreateKeysAndCertificateCommand,
  CreateThingTypeCommand,
  IoTClient,
} from '@aws-sdk/client-iot';
import { DEFAULT_AWS_CREDENTIALS } from '../../electron/api/aws/credentials.js';
import { ADMINISTRATOR } from '../../electron/domain/roles.js';
import { THERMOSTAT_ID } from '../api/central/job-fixtures.js';
import { REGION } from './aws-requests.js';
import { expectCall, type FuzzEmulator } from './fuzz-emulator.js';
import { FIXTURE } from './fuzz-fixtures.js';

const V = 'api-version=2022-10-31-preview';

/**
 * A record in each collection seedCentral and seedAws leave empty (a fleet, a token, a twin, an attestation, a
 * relationship, a scheduled job, a thing type, a billing group, a job template, a certificate), made through the APIs,
 * so a mutated snapshot can break any kind of record the way the code writes it.
 */
export async function seedEveryCollection(emulator: FuzzEmulator): Promise<void> {
  const [first, second, third] = FIXTURE.devices;
  await expectCall(emulator, 201, 'POST', '/_fleetlab/fleet', { template: THERMOSTAT_ID, count: 3, idPrefix: 'fz-fleet' });
  await expectCall(emulator, 200, 'PUT', `/api/apiTokens/fz-snapshot-token?${V}`, { roles: [{ role: ADMINISTRATOR }] });
  await expectCall(emulator, 202, 'PATCH', `/api/devices/${first}/properties?${V}`, { targetTemperature: 22 });
  await expectCall(emulator, 200, 'PUT', `/api/devices/${second}/attestation?${V}`, { type: 'symmetricKey', symmetricKey: { primaryKey: 'AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=', secondaryKey: 'AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=' } });
  await expectCall(emulator, 200, 'PUT', `/api/devices/${first}/relationships/fz-rel?${V}`, { target: third });
  await expectCall(emulator, 200, 'PUT', `/api/scheduledJobs/fz-snapshot-sched?${V}`, {
    displayName: 'Nightly',
    group: FIXTURE.group,
    data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 20 }],
    schedule: { start: '2099-01-01T02:00:00.000Z', recurrence: 'daily' },
  });

  const iot = new IoTClient({ endpoint: `${emulator.url}/aws`, region: REGION, credentials: DEFAULT_AWS_CREDENTIALS, maxAttempts: 1 });
  try {
    await iot.send(new CreateThingTypeCommand({ thingTypeName: 'fz-type', thingTypeProperties: { thingTypeDescription: 'Fuzz', searchableAttributes: ['fuzz'] } }));
    await iot.send(new CreateBillingGroupCommand({ billingGroupName: 'fz-billing', tags: [{ Key: 'team', Value: 'fuzz' }] }));
    await iot.send(new AddThingToBillingGroupCommand({ billingGroupName: 'fz-billing', thingName: FIXTURE.things[0] }));
    await iot.send(new CreateJobTemplateCommand({ jobTemplateId: 'fz-template', description: 'Fuzz', document: '{"op":"fuzz"}' }));
    const { certificateArn } = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    await iot.send(new AttachThingPrincipalCommand({ thingName: FIXTURE.things[1], principal: certificateArn }));
  } finally {
    iot.destroy();
  }
}
