import fc from 'fast-check';
import { IOT_JOBS_DATA_MODEL, IOT_MODEL } from '../../electron/api/aws/service-model.js';
import { THERMOSTAT_ID } from '../api/central/job-fixtures.js';
import { sign } from './aws-requests.js';
import type { Dialect } from './error-shapes.js';
import { FUZZ_TOKEN } from './fuzz-emulator.js';
import { FIXTURE } from './fuzz-fixtures.js';
import { s3Request } from './s3-requests.js';
import type { WireRequest } from './wire.js';

/** One step of a sequence: which API answers it, and the request (AWS and S3 ones are signed when sent). */
export interface Action {
  dialect: Dialect;
  request: (host: string) => Promise<WireRequest>;
  /** How fast-check prints the step in a counterexample. */
  [fc.toStringMethod]: () => string;
}

const described = (method: string, path: string, body?: string) => () => `${method} ${path}${body === undefined ? '' : ` ${body}`}`;

const V = 'api-version=2022-10-31-preview';
const devices = fc.constantFrom('fz-seq-dev-1', 'fz-seq-dev-2', FIXTURE.devices[0]);
const centralJobs = fc.constantFrom('fz-seq-job-1', 'fz-seq-job-2', FIXTURE.job);
const scheduled = fc.constantFrom('fz-seq-sched-1', 'fz-seq-sched-2');
const groups = fc.constantFrom('fz-seq-group', FIXTURE.group);
const things = fc.constantFrom('fz-seq-thing-1', 'fz-seq-thing-2', FIXTURE.things[0], FIXTURE.things[1]);
const thingGroups = fc.constantFrom('fz-seq-things', FIXTURE.thingGroups[0], 'fz-seq-dynamic');
const awsJobs = fc.constantFrom('fz-seq-aws-1', 'fz-seq-aws-2', FIXTURE.awsJobs[0]);
const thingGroupArn = (name: string) => `arn:aws:iot:us-east-1:123456789012:thinggroup/${name}`;

function central(method: string, path: string, body?: unknown): Action {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { authorization: FUZZ_TOKEN, ...(text !== undefined && { 'content-type': 'application/json' }) };
  return { dialect: 'central', request: async () => ({ method, path, headers, body: text }), [fc.toStringMethod]: described(method, path, text) };
}

function aws(method: string, path: string, body?: unknown, query: Record<string, string> = {}, plane: 'control' | 'data' = 'control'): Action {
  const model = plane === 'control' ? IOT_MODEL : IOT_JOBS_DATA_MODEL;
  const prefix = plane === 'control' ? '/aws' : '/aws-jobs-data';
  const text = body === undefined ? undefined : JSON.stringify(body);
  const search = new URLSearchParams(query).toString();
  return {
    dialect: 'aws',
    request: (host) => sign(model, host, { method, path: `${prefix}${path}`, query, headers: {}, body: text }, 'signed'),
    [fc.toStringMethod]: described(method, `${prefix}${path}${search ? `?${search}` : ''}`, text),
  };
}

const jobData = fc.constantFrom(
  [{ type: 'property', target: THERMOSTAT_ID, path: 'targetTemperature', value: 22 }],
  [{ type: 'command', target: THERMOSTAT_ID, path: 'getMaxMinReport', value: '2026-01-01T00:00:00Z' }],
);

/** Valid calls on a few shared ids, in any order: create, update, stop, resume, cancel and delete the same things. */
const centralActions: fc.Arbitrary<Action>[] = [
  devices.map((id) => central('PUT', `/api/devices/${id}?${V}`, { displayName: id, template: THERMOSTAT_ID, simulated: true, enabled: true })),
  devices.map((id) => central('PATCH', `/api/devices/${id}?${V}`, { enabled: false })),
  devices.map((id) => central('DELETE', `/api/devices/${id}?${V}`)),
  fc.tuple(devices, fc.double({ min: -50, max: 50, noNaN: true })).map(([id, value]) => central('PATCH', `/api/devices/${id}/properties?${V}`, { targetTemperature: value })),
  groups.map((id) => central('PUT', `/api/deviceGroups/${id}?${V}`, { displayName: id, filter: `SELECT * FROM devices WHERE $template = "${THERMOSTAT_ID}"` })),
  groups.map((id) => central('DELETE', `/api/deviceGroups/${id}?${V}`)),
  fc.tuple(centralJobs, groups, jobData, fc.option(fc.constantFrom({ type: 'number', value: 1 }, { type: 'percentage', value: 50 }))).map(([id, group, data, batch]) =>
    central('PUT', `/api/jobs/${id}?${V}`, { group, data, ...(batch && { batch }) }),
  ),
  centralJobs.map((id) => central('POST', `/api/jobs/${id}/stop?${V}`)),
  centralJobs.map((id) => central('POST', `/api/jobs/${id}/resume?${V}`)),
  fc.tuple(centralJobs, fc.constantFrom('fz-rerun-1', 'fz-rerun-2')).map(([id, rerun]) => central('PUT', `/api/jobs/${id}/rerun/${rerun}?${V}`)),
  centralJobs.map((id) => central('GET', `/api/jobs/${id}/devices?${V}`)),
  fc.tuple(scheduled, groups, jobData).map(([id, group, data]) =>
    central('PUT', `/api/scheduledJobs/${id}?${V}`, { group, data, schedule: { start: '2026-01-01T00:00:00Z', recurrence: 'daily' } }),
  ),
  scheduled.map((id) => central('DELETE', `/api/scheduledJobs/${id}?${V}`)),
  fc.constant(central('DELETE', `/api/deviceTemplates/${encodeURIComponent(THERMOSTAT_ID)}?${V}`)),
];

const awsActions: fc.Arbitrary<Action>[] = [
  things.map((name) => aws('POST', `/things/${name}`, { attributePayload: { attributes: { fuzz: 'yes' } } })),
  things.map((name) => aws('DELETE', `/things/${name}`)),
  things.map((name) => aws('PATCH', `/things/${name}`, { attributePayload: { attributes: { fuzz: 'no' }, merge: true } })),
  thingGroups.map((name) => aws('POST', `/thing-groups/${name}`, {})),
  thingGroups.map((name) => aws('DELETE', `/thing-groups/${name}`)),
  thingGroups.map((name) => aws('POST', `/dynamic-thing-groups/${name}`, { queryString: 'attributes.fuzz:yes' })),
  thingGroups.map((name) => aws('DELETE', `/dynamic-thing-groups/${name}`)),
  fc.tuple(things, thingGroups).map(([thingName, thingGroupName]) => aws('PUT', '/thing-groups/addThingToThingGroup', { thingName, thingGroupName })),
  fc.tuple(things, thingGroups).map(([thingName, thingGroupName]) => aws('PUT', '/thing-groups/removeThingFromThingGroup', { thingName, thingGroupName })),
  fc.tuple(awsJobs, thingGroups, fc.constantFrom('SNAPSHOT', 'CONTINUOUS')).map(([jobId, group, targetSelection]) =>
    aws('PUT', `/jobs/${jobId}`, { targets: [thingGroupArn(group)], document: '{"op":"seq"}', targetSelection }),
  ),
  fc.tuple(awsJobs, fc.boolean()).map(([jobId, force]) => aws('PUT', `/jobs/${jobId}/cancel`, {}, force ? { force: 'true' } : {})),
  fc.tuple(awsJobs, fc.boolean()).map(([jobId, force]) => aws('DELETE', `/jobs/${jobId}`, undefined, force ? { force: 'true' } : {})),
  awsJobs.map((jobId) => aws('PATCH', `/jobs/${jobId}`, { description: 'updated' })),
  fc.tuple(things, awsJobs).map(([thing, jobId]) => aws('PUT', `/things/${thing}/jobs/${jobId}/cancel`, {}, { force: 'true' })),
  things.map((thing) => aws('PUT', `/things/${thing}/jobs/$next`, {}, {}, 'data')),
  fc.tuple(things, awsJobs, fc.constantFrom('IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'REJECTED')).map(([thing, jobId, status]) => aws('POST', `/things/${thing}/jobs/${jobId}`, { status }, {}, 'data')),
];

const controlActions: fc.Arbitrary<Action>[] = [
  fc.integer({ min: 0, max: 3_600_000 }).map((ms) => central('POST', '/_fleetlab/clock/advance', { ms })),
  fc.constantFrom(0, 1, 50).map((timeScale) => central('PUT', '/_fleetlab/simulation', { timeScale })),
  fc.double({ min: 0, max: 1, noNaN: true }).map((rate) => central('PUT', `/_fleetlab/templates/${encodeURIComponent(THERMOSTAT_ID)}/behavior`, { propertyFailureRate: rate })),
  fc.tuple(awsJobs, fc.boolean()).map(([jobId, force]) => central('POST', `/_fleetlab/aws/jobs/${jobId}/cancel`, { force })),
];

const s3Actions = (host: string) =>
  s3Request(host, [...FIXTURE.buckets, 'fz-seq-bucket'], [...FIXTURE.keys]).map((pending): Action => ({ dialect: 's3', request: () => pending, [fc.toStringMethod]: () => 'an S3 request' }));

/** A sequence of 5 to 25 steps across every API, on the same few ids. */
export function actionSequence(host: string): fc.Arbitrary<Action[]> {
  const step = fc.oneof(
    { weight: 4, arbitrary: fc.oneof(...centralActions) },
    { weight: 4, arbitrary: fc.oneof(...awsActions) },
    { weight: 2, arbitrary: fc.oneof(...controlActions) },
    { weight: 1, arbitrary: s3Actions(host) },
  );
  return fc.array(step, { minLength: 5, maxLength: 25, size: 'max' });
}
