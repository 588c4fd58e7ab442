import { EXAMPLE_TEMPLATE_ID } from './device-examples.js';
import { HOWTO_GROUP, THERMOSTAT_ID, THERMOSTAT_TEMPLATE } from './job-fixtures.js';

export type JsonKind = 'string' | 'number' | 'boolean' | 'array' | 'object';

/** One /api operation with a request that would succeed; the fuzzer breaks one part of it at a time. */
export interface FuzzOperation {
  operationId: string;
  method: 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';
  /** With `{name}` placeholders, filled from `params`. */
  path: string;
  params?: Record<string, string>;
  body?: Record<string, unknown>;
  /** Dotted paths into `body` and the JSON type each must have. */
  fields?: Record<string, JsonKind>;
  required?: string[];
  /** Values of the right type that the operation must still refuse. */
  invalid?: Record<string, unknown[]>;
  /** Lists accept paging parameters. */
  list?: boolean;
}

/** Ids of the resources fuzz.test.ts creates before fuzzing. */
export const FIXTURE = {
  device: 'fuzz-therm',
  componentDevice: 'fuzz-dev',
  group: HOWTO_GROUP,
  job: 'fuzz-job',
  scheduledJob: 'fuzz-sched',
  organization: 'fuzz-org',
  token: 'fuzz-token',
  operator: 'ae2c9854-393b-4f97-8c42-479d70ce626e',
};

const UNICODE = ['ünïcødé', '\u202eevil', 'nul\u0000l', 'bell\u0007', '😀', '\ud800', ' '];
const jobBody = { displayName: 'Fuzz', group: FIXTURE.group, data: [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 20 }] };
const jobFields: Record<string, JsonKind> = {
  displayName: 'string',
  description: 'string',
  group: 'string',
  data: 'array',
  'data.0': 'object',
  'data.0.type': 'string',
  'data.0.target': 'string',
  'data.0.path': 'string',
  batch: 'object',
  'batch.type': 'string',
  'batch.value': 'number',
  cancellationThreshold: 'object',
  'cancellationThreshold.batch': 'boolean',
  organizations: 'array',
};
const jobInvalid: Record<string, unknown[]> = {
  group: ['no-such-group', ...UNICODE],
  data: [[]],
  'data.0.type': ['Property', 'shell', ...UNICODE],
  'data.0.target': ['dtmi:missing;1', ...UNICODE],
  'data.0.path': ['nope', 'targetTemperature.x', ...UNICODE],
  'data.0.value': ['warm', [], {}, true],
  batch: [{ type: 'number' }, { type: 'fraction', value: 1 }],
  cancellationThreshold: [{ value: 1 }, { type: 'percentage', value: 'ten' }],
  organizations: [['no-such-org'], [FIXTURE.organization, FIXTURE.organization], []],
};
const schedule = { start: '2099-01-01T00:00:00Z', recurrence: 'daily' };
const FUZZ_KEY = Buffer.alloc(32, 7).toString('base64');
const MODULE_PARAMS = { deviceId: FIXTURE.device, moduleName: 'edgeAgent', componentName: 'settings', commandName: 'reboot', telemetryName: 'temperature' };
const MODULE_OPERATIONS: [string, FuzzOperation['method'], string, Record<string, unknown>?][] = [
  ['Devices_ListModuleComponents', 'GET', '/components'],
  ['Devices_GetModuleProperties', 'GET', '/properties'],
  ['Devices_ReplaceModuleProperties', 'PUT', '/properties', { settings: { fanSpeed: 1 } }],
  ['Devices_UpdateModuleProperties', 'PATCH', '/properties', { settings: { fanSpeed: 1 } }],
  ['Devices_GetModuleTelemetryValue', 'GET', '/telemetry/{telemetryName}'],
  ['Devices_GetModuleCommandHistory', 'GET', '/commands/{commandName}'],
  ['Devices_RunModuleCommand', 'POST', '/commands/{commandName}', { request: {} }],
  ['Devices_GetModuleComponentProperties', 'GET', '/components/{componentName}/properties'],
  ['Devices_ReplaceModuleComponentProperties', 'PUT', '/components/{componentName}/properties', { fanSpeed: { value: 1 } }],
  ['Devices_UpdateModuleComponentProperties', 'PATCH', '/components/{componentName}/properties', { fanSpeed: { value: 1 } }],
  ['Devices_GetModuleComponentTelemetryValue', 'GET', '/components/{componentName}/telemetry/{telemetryName}'],
  ['Devices_GetModuleComponentCommandHistory', 'GET', '/components/{componentName}/commands/{commandName}'],
  ['Devices_RunModuleComponentCommand', 'POST', '/components/{componentName}/commands/{commandName}', { request: {} }],
];

export const OPERATIONS: FuzzOperation[] = [
  { operationId: 'ApiTokens_List', method: 'GET', path: '/apiTokens' },
  { operationId: 'ApiTokens_Get', method: 'GET', path: '/apiTokens/{tokenId}', params: { tokenId: FIXTURE.token } },
  {
    operationId: 'ApiTokens_Create',
    method: 'PUT',
    path: '/apiTokens/{tokenId}',
    params: { tokenId: 'fuzz-new' },
    body: { roles: [{ role: FIXTURE.operator }] },
    fields: { roles: 'array', 'roles.0': 'object', 'roles.0.role': 'string', expiry: 'string' },
    required: ['roles'],
    invalid: { roles: [[]], 'roles.0.role': ['superuser', ...UNICODE], expiry: ['tomorrow', '2099-13-45T00:00:00Z', ...UNICODE] },
  },
  { operationId: 'ApiTokens_Remove', method: 'DELETE', path: '/apiTokens/{tokenId}', params: { tokenId: FIXTURE.token } },
  { operationId: 'Roles_List', method: 'GET', path: '/roles' },
  { operationId: 'Roles_Get', method: 'GET', path: '/roles/{roleId}', params: { roleId: FIXTURE.operator } },
  { operationId: 'EnrollmentGroups_List', method: 'GET', path: '/enrollmentGroups' },
  { operationId: 'EnrollmentGroups_Get', method: 'GET', path: '/enrollmentGroups/{enrollmentGroupId}', params: { enrollmentGroupId: 'SAS-IoT-Devices' } },
  { operationId: 'Organizations_List', method: 'GET', path: '/organizations', list: true },
  { operationId: 'Organizations_Get', method: 'GET', path: '/organizations/{organizationId}', params: { organizationId: FIXTURE.organization } },
  {
    operationId: 'Organizations_Create',
    method: 'PUT',
    path: '/organizations/{organizationId}',
    params: { organizationId: 'fuzz-new' },
    body: { displayName: 'Fuzz' },
    fields: { displayName: 'string', parent: 'string' },
    invalid: { parent: ['no-such-parent', ...UNICODE] },
  },
  {
    operationId: 'Organizations_Update',
    method: 'PATCH',
    path: '/organizations/{organizationId}',
    params: { organizationId: FIXTURE.organization },
    body: { displayName: 'Renamed' },
    fields: { displayName: 'string', parent: 'string' },
    invalid: { parent: ['no-such-parent', FIXTURE.organization, ...UNICODE] },
  },
  { operationId: 'Organizations_Remove', method: 'DELETE', path: '/organizations/{organizationId}', params: { organizationId: FIXTURE.organization } },
  { operationId: 'DeviceTemplates_List', method: 'GET', path: '/deviceTemplates', list: true },
  { operationId: 'DeviceTemplates_Get', method: 'GET', path: '/deviceTemplates/{deviceTemplateId}', params: { deviceTemplateId: THERMOSTAT_ID } },
  {
    operationId: 'DeviceTemplates_Create',
    method: 'PUT',
    path: '/deviceTemplates/{deviceTemplateId}',
    params: { deviceTemplateId: 'dtmi:fuzz:new;1' },
    body: THERMOSTAT_TEMPLATE,
    fields: { '@type': 'array', displayName: 'string', description: 'string', capabilityModel: 'object', 'capabilityModel.contents': 'array' },
    required: ['@type', 'capabilityModel'],
    invalid: { 'capabilityModel.contents': [[{ '@type': 'Property' }], [{ '@type': 'Command', name: 42 }]] },
  },
  {
    operationId: 'DeviceTemplates_Update',
    method: 'PATCH',
    path: '/deviceTemplates/{deviceTemplateId}',
    params: { deviceTemplateId: THERMOSTAT_ID },
    body: { displayName: 'Renamed' },
    fields: { '@type': 'array', displayName: 'string', capabilityModel: 'object', etag: 'string' },
    invalid: { etag: ['"stale"', ...UNICODE], capabilityModel: [{ contents: [{ '@type': 'Property' }] }] },
  },
  { operationId: 'DeviceTemplates_Remove', method: 'DELETE', path: '/deviceTemplates/{deviceTemplateId}', params: { deviceTemplateId: THERMOSTAT_ID } },
  { operationId: 'Devices_List', method: 'GET', path: '/devices', list: true },
  { operationId: 'Devices_Get', method: 'GET', path: '/devices/{deviceId}', params: { deviceId: FIXTURE.device } },
  {
    operationId: 'Devices_Create',
    method: 'PUT',
    path: '/devices/{deviceId}',
    params: { deviceId: 'fuzz-new' },
    body: { displayName: 'Fuzz', template: THERMOSTAT_ID, simulated: true, enabled: true },
    fields: { displayName: 'string', template: 'string', simulated: 'boolean', enabled: 'boolean', organizations: 'array', etag: 'string' },
    invalid: { template: ['dtmi:missing;1', ...UNICODE], organizations: [['no-such-org'], [42]] },
  },
  {
    operationId: 'Devices_Update',
    method: 'PATCH',
    path: '/devices/{deviceId}',
    params: { deviceId: FIXTURE.device },
    body: { displayName: 'Renamed' },
    fields: { displayName: 'string', template: 'string', simulated: 'boolean', enabled: 'boolean', organizations: 'array', etag: 'string' },
    invalid: { template: ['dtmi:missing;1', ...UNICODE], organizations: [['no-such-org']], etag: ['"stale"', ...UNICODE] },
  },
  { operationId: 'Devices_Remove', method: 'DELETE', path: '/devices/{deviceId}', params: { deviceId: FIXTURE.device } },
  { operationId: 'Devices_ListComponents', method: 'GET', path: '/devices/{deviceId}/components', params: { deviceId: FIXTURE.componentDevice } },
  { operationId: 'Devices_GetProperties', method: 'GET', path: '/devices/{deviceId}/properties', params: { deviceId: FIXTURE.device } },
  ...(['PUT', 'PATCH'] as const).map(
    (method): FuzzOperation => ({
      operationId: method === 'PUT' ? 'Devices_ReplaceProperties' : 'Devices_UpdateProperties',
      method,
      path: '/devices/{deviceId}/properties',
      params: { deviceId: FIXTURE.device },
      body: { targetTemperature: 21 },
      fields: { targetTemperature: 'number' },
      invalid: { targetTemperature: ['warm', '', ...UNICODE], colour: ['red'], CustomerName: [42] },
    }),
  ),
  {
    operationId: 'Devices_GetComponentProperties',
    method: 'GET',
    path: '/devices/{deviceId}/components/{componentName}/properties',
    params: { deviceId: FIXTURE.componentDevice, componentName: 'settings' },
  },
  ...(['PUT', 'PATCH'] as const).map(
    (method): FuzzOperation => ({
      operationId: method === 'PUT' ? 'Devices_ReplaceComponentProperties' : 'Devices_UpdateComponentProperties',
      method,
      path: '/devices/{deviceId}/components/{componentName}/properties',
      params: { deviceId: FIXTURE.componentDevice, componentName: 'settings' },
      body: { fanSpeed: 30 },
      fields: { fanSpeed: 'number', irSwitch: 'boolean' },
      invalid: { fanSpeed: ['fast', ...UNICODE], irSwitch: ['maybe'], unknownSetting: [1] },
    }),
  ),
  {
    operationId: 'Devices_RunCommand',
    method: 'POST',
    path: '/devices/{deviceId}/commands/{commandName}',
    params: { deviceId: FIXTURE.device, commandName: 'getMaxMinReport' },
    body: { request: '2021-06-15T05:00:00.000Z' },
    fields: { connectionTimeout: 'number', responseTimeout: 'number' },
    invalid: { request: ['yesterday', 42, {}, ...UNICODE], connectionTimeout: [-1, 31, 1.5], responseTimeout: [4, 31] },
  },
  {
    operationId: 'Devices_GetCommandHistory',
    method: 'GET',
    path: '/devices/{deviceId}/commands/{commandName}',
    params: { deviceId: FIXTURE.device, commandName: 'getMaxMinReport' },
  },
  {
    operationId: 'Devices_RunComponentCommand',
    method: 'POST',
    path: '/devices/{deviceId}/components/{componentName}/commands/{commandName}',
    params: { deviceId: FIXTURE.componentDevice, componentName: 'Thermostat_1o', commandName: 'CoolDown' },
    body: { request: { tempVal: 30 } },
    fields: { request: 'object', 'request.tempVal': 'number', connectionTimeout: 'number' },
    invalid: { request: [{ tempVal: 'cold' }, { other: 1 }], connectionTimeout: [-1, 31] },
  },
  {
    operationId: 'Devices_GetComponentCommandHistory',
    method: 'GET',
    path: '/devices/{deviceId}/components/{componentName}/commands/{commandName}',
    params: { deviceId: FIXTURE.componentDevice, componentName: 'Thermostat_1o', commandName: 'CoolDown' },
  },
  { operationId: 'Devices_GetAttestation', method: 'GET', path: '/devices/{deviceId}/attestation', params: { deviceId: FIXTURE.device } },
  {
    operationId: 'Devices_CreateAttestation',
    method: 'PUT',
    path: '/devices/{deviceId}/attestation',
    params: { deviceId: FIXTURE.device },
    body: { type: 'symmetricKey', symmetricKey: { primaryKey: FUZZ_KEY, secondaryKey: FUZZ_KEY } },
    fields: { type: 'string', symmetricKey: 'object', 'symmetricKey.primaryKey': 'string', 'symmetricKey.secondaryKey': 'string' },
    required: ['type', 'symmetricKey', 'symmetricKey.primaryKey'],
    invalid: { type: ['password', 'x509', ...UNICODE], 'symmetricKey.primaryKey': ['not base64', 'c2hvcnQ=', ...UNICODE] },
  },
  {
    operationId: 'Devices_UpdateAttestation',
    method: 'PATCH',
    path: '/devices/{deviceId}/attestation',
    params: { deviceId: FIXTURE.device },
    body: { symmetricKey: { secondaryKey: FUZZ_KEY } },
    fields: { type: 'string', symmetricKey: 'object' },
  },
  { operationId: 'Devices_RemoveAttestation', method: 'DELETE', path: '/devices/{deviceId}/attestation', params: { deviceId: FIXTURE.device } },
  { operationId: 'Devices_GetCredentials', method: 'GET', path: '/devices/{deviceId}/credentials', params: { deviceId: FIXTURE.device } },
  { operationId: 'Devices_ListRelationships', method: 'GET', path: '/devices/{deviceId}/relationships', params: { deviceId: FIXTURE.device }, list: true },
  ...(['GET', 'DELETE'] as const).map(
    (method): FuzzOperation => ({
      operationId: method === 'GET' ? 'Devices_GetRelationship' : 'Devices_RemoveRelationship',
      method,
      path: '/devices/{deviceId}/relationships/{relationshipId}',
      params: { deviceId: FIXTURE.device, relationshipId: 'fuzz-rel' },
    }),
  ),
  {
    operationId: 'Devices_CreateRelationship',
    method: 'PUT',
    path: '/devices/{deviceId}/relationships/{relationshipId}',
    params: { deviceId: FIXTURE.device, relationshipId: 'fuzz-rel' },
    body: { target: FIXTURE.componentDevice },
    fields: { source: 'string', target: 'string' },
    required: ['target'],
    invalid: { target: ['no-such-device', FIXTURE.device, ...UNICODE], source: [FIXTURE.componentDevice, 'no-such-device', ...UNICODE] },
  },
  {
    operationId: 'Devices_UpdateRelationship',
    method: 'PATCH',
    path: '/devices/{deviceId}/relationships/{relationshipId}',
    params: { deviceId: FIXTURE.device, relationshipId: 'fuzz-rel' },
    body: { target: FIXTURE.componentDevice },
    fields: { source: 'string', target: 'string' },
  },
  { operationId: 'Devices_GetTelemetryValue', method: 'GET', path: '/devices/{deviceId}/telemetry/{telemetryName}', params: { deviceId: FIXTURE.device, telemetryName: 'temperature' } },
  {
    operationId: 'Devices_GetComponentTelemetryValue',
    method: 'GET',
    path: '/devices/{deviceId}/components/{componentName}/telemetry/{telemetryName}',
    params: { deviceId: FIXTURE.componentDevice, componentName: 'settings', telemetryName: 'temperature' },
  },
  { operationId: 'Devices_ListModules', method: 'GET', path: '/devices/{deviceId}/modules', params: { deviceId: FIXTURE.device } },
  ...MODULE_OPERATIONS.map(
    ([operationId, method, suffix, body]): FuzzOperation => ({
      operationId,
      method,
      path: `/devices/{deviceId}/modules/{moduleName}${suffix}`,
      params: Object.fromEntries(Object.entries(MODULE_PARAMS).filter(([name]) => name === 'deviceId' || name === 'moduleName' || suffix.includes(`{${name}}`))),
      ...(body && { body, fields: Object.fromEntries(Object.keys(body).map((key) => [key, 'object' as const])) }),
    }),
  ),
  { operationId: 'DeviceGroups_List', method: 'GET', path: '/deviceGroups', list: true },
  { operationId: 'DeviceGroups_Get', method: 'GET', path: '/deviceGroups/{deviceGroupId}', params: { deviceGroupId: FIXTURE.group } },
  {
    operationId: 'DeviceGroups_Create',
    method: 'PUT',
    path: '/deviceGroups/{deviceGroupId}',
    params: { deviceGroupId: 'fuzz-new' },
    body: { displayName: 'Fuzz', filter: 'SELECT * FROM devices' },
    fields: { displayName: 'string', filter: 'string', description: 'string', organizations: 'array' },
    required: ['displayName', 'filter'],
    invalid: { filter: ['SELECT', 'SELECT * FROM devices WHERE $nope = 1', 'DROP TABLE devices', ...UNICODE], organizations: [['no-such-org']] },
  },
  {
    operationId: 'DeviceGroups_Update',
    method: 'PATCH',
    path: '/deviceGroups/{deviceGroupId}',
    params: { deviceGroupId: FIXTURE.group },
    body: { displayName: 'Renamed' },
    fields: { displayName: 'string', filter: 'string', organizations: 'array', etag: 'string' },
    invalid: { filter: ['SELECT * FROM', ...UNICODE], organizations: [['no-such-org']], etag: ['"stale"'] },
  },
  { operationId: 'DeviceGroups_Remove', method: 'DELETE', path: '/deviceGroups/{deviceGroupId}', params: { deviceGroupId: FIXTURE.group } },
  { operationId: 'DeviceGroups_GetDevices', method: 'GET', path: '/deviceGroups/{deviceGroupId}/devices', params: { deviceGroupId: FIXTURE.group }, list: true },
  { operationId: 'Jobs_List', method: 'GET', path: '/jobs', list: true },
  { operationId: 'Jobs_Get', method: 'GET', path: '/jobs/{jobId}', params: { jobId: FIXTURE.job } },
  {
    operationId: 'Jobs_Create',
    method: 'PUT',
    path: '/jobs/{jobId}',
    params: { jobId: 'fuzz-new' },
    body: jobBody,
    fields: jobFields,
    required: ['group', 'data', 'data.0.type'],
    invalid: jobInvalid,
  },
  { operationId: 'Jobs_GetDevices', method: 'GET', path: '/jobs/{jobId}/devices', params: { jobId: FIXTURE.job }, list: true },
  { operationId: 'Jobs_Stop', method: 'POST', path: '/jobs/{jobId}/stop', params: { jobId: FIXTURE.job } },
  { operationId: 'Jobs_Resume', method: 'POST', path: '/jobs/{jobId}/resume', params: { jobId: FIXTURE.job } },
  { operationId: 'Jobs_Rerun', method: 'PUT', path: '/jobs/{jobId}/rerun/{rerunId}', params: { jobId: FIXTURE.job, rerunId: 'fuzz-rerun' } },
  { operationId: 'ScheduledJobs_List', method: 'GET', path: '/scheduledJobs', list: true },
  { operationId: 'ScheduledJobs_Get', method: 'GET', path: '/scheduledJobs/{scheduledJobId}', params: { scheduledJobId: FIXTURE.scheduledJob } },
  {
    operationId: 'ScheduledJobs_Create',
    method: 'PUT',
    path: '/scheduledJobs/{scheduledJobId}',
    params: { scheduledJobId: 'fuzz-new' },
    body: { ...jobBody, schedule },
    fields: { ...jobFields, schedule: 'object', 'schedule.start': 'string', 'schedule.recurrence': 'string', enabled: 'boolean' },
    required: ['group', 'data', 'schedule', 'schedule.start'],
    invalid: { ...jobInvalid, 'schedule.start': ['tomorrow', '2099-13-45T00:00:00Z', ...UNICODE], 'schedule.recurrence': ['hourly', ...UNICODE], 'schedule.end': [{ type: 'never' }, { type: 'occurrences', occurrences: 'x' }] },
  },
  {
    operationId: 'ScheduledJobs_Update',
    method: 'PATCH',
    path: '/scheduledJobs/{scheduledJobId}',
    params: { scheduledJobId: FIXTURE.scheduledJob },
    body: { description: 'Renamed' },
    fields: { displayName: 'string', description: 'string', enabled: 'boolean', schedule: 'object', 'schedule.start': 'string', group: 'string', data: 'array' },
    invalid: { group: ['no-such-group'], 'schedule.start': ['tomorrow'], 'schedule.recurrence': ['hourly'], data: [[]] },
  },
  { operationId: 'ScheduledJobs_Remove', method: 'DELETE', path: '/scheduledJobs/{scheduledJobId}', params: { scheduledJobId: FIXTURE.scheduledJob } },
  { operationId: 'ScheduledJobs_ListJobs', method: 'GET', path: '/scheduledJobs/{scheduledJobId}/jobs', params: { scheduledJobId: FIXTURE.scheduledJob }, list: true },
];

export const COMPONENT_TEMPLATE_ID = EXAMPLE_TEMPLATE_ID;
