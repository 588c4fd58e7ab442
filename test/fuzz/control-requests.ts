import fc from 'fast-check';
import { AwsExecutionsQuery, AwsJobCancelBody, AwsJobCreateBody, AwsJobDryRunBody, AwsJobsQuery } from '../../electron/api/control/schema/aws-jobs.js';
import { DevicesQuery, FleetBody, GroupPreviewBody } from '../../electron/api/control/schema/fleet.js';
import { JobDevicesQuery, JobDryRunBody } from '../../electron/api/control/schema/jobs.js';
import { RequestListQuery } from '../../electron/api/control/schema/requests.js';
import { ClockAdvanceBody, DeviceBehaviorBody, SimulationBody, TemplateBehaviorBody } from '../../electron/api/control/schema/simulation.js';
import { SNAPSHOT_SCHEMA } from '../../electron/api/control/snapshot-schema.js';
import { schemaArbitrary, type JsonSchema } from './json-schema-arbitrary.js';
import { brokenJsonText, trickyString, validOrMutated } from './nasty-values.js';
import { percentEncode, type WireRequest } from './wire.js';

export interface ControlRoute {
  method: string;
  /** Below /_fleetlab, with `:param` segments. */
  path: string;
  body?: JsonSchema;
  query?: JsonSchema;
}

/**
 * Every /_fleetlab route of electron/api/control/permissions.ts with its TypeBox schemas, except GET /events (a
 * stream that never ends: test/api/control covers it) and POST /reset (which would empty the state the other
 * requests work on; the sequences file sends it).
 */
export const CONTROL_ROUTES: ControlRoute[] = [
  { method: 'GET', path: '/info' },
  { method: 'GET', path: '/ca.pem' },
  { method: 'GET', path: '/connected-devices' },
  { method: 'GET', path: '/simulation' },
  { method: 'PUT', path: '/simulation', body: SimulationBody },
  { method: 'POST', path: '/clock/advance', body: ClockAdvanceBody },
  { method: 'GET', path: '/fleet' },
  { method: 'POST', path: '/fleet', body: FleetBody },
  { method: 'GET', path: '/fleet/summary' },
  { method: 'GET', path: '/devices', query: DevicesQuery },
  { method: 'POST', path: '/groups/preview', body: GroupPreviewBody },
  { method: 'GET', path: '/scheduled-jobs/next-runs' },
  { method: 'GET', path: '/templates/:templateId/behavior' },
  { method: 'PUT', path: '/templates/:templateId/behavior', body: TemplateBehaviorBody },
  { method: 'GET', path: '/devices/:deviceId/behavior' },
  { method: 'PUT', path: '/devices/:deviceId/behavior', body: DeviceBehaviorBody },
  { method: 'GET', path: '/templates/:templateId/capabilities' },
  { method: 'GET', path: '/jobs/:jobId/devices', query: JobDevicesQuery },
  { method: 'GET', path: '/jobs/:jobId/outcomes' },
  { method: 'POST', path: '/jobs/dry-run', body: JobDryRunBody },
  { method: 'GET', path: '/aws/thing-groups' },
  { method: 'GET', path: '/aws/jobs', query: AwsJobsQuery },
  { method: 'GET', path: '/aws/jobs/:jobId' },
  { method: 'GET', path: '/aws/jobs/:jobId/executions', query: AwsExecutionsQuery },
  { method: 'POST', path: '/aws/jobs', body: AwsJobCreateBody },
  { method: 'POST', path: '/aws/jobs/dry-run', body: AwsJobDryRunBody },
  { method: 'POST', path: '/aws/jobs/:jobId/cancel', body: AwsJobCancelBody },
  { method: 'PUT', path: '/aws/files/:bucket/:key' },
  { method: 'GET', path: '/snapshot' },
  { method: 'PUT', path: '/snapshot', body: SNAPSHOT_SCHEMA as unknown as JsonSchema },
  { method: 'GET', path: '/requests', query: RequestListQuery },
  { method: 'GET', path: '/requests/:requestId' },
  { method: 'DELETE', path: '/requests' },
  { method: 'POST', path: '/session-codes' },
];

/** Ids by `:param` (and by body member of the same name), mostly ones that exist. */
export type ControlPools = Record<string, string[]>;

function idFrom(pools: ControlPools, name: string): fc.Arbitrary<string> {
  const pool = pools[name] ?? pools.default!;
  return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...pool) }, { weight: 2, arbitrary: trickyString });
}

export function controlRequest(route: ControlRoute, pools: ControlPools, token: string): fc.Arbitrary<WireRequest> {
  const names = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
  const params = fc.tuple(...names.map((name) => idFrom(pools, name)));
  const options = { stringFor: (member: string) => (pools[member] ? idFrom(pools, member) : undefined) };
  const query = route.query ? validOrMutated(schemaArbitrary(route.query, options)) : fc.constant(undefined);
  const body = route.body
    ? fc.oneof({ weight: 8, arbitrary: validOrMutated(schemaArbitrary(route.body, options)).map((value) => JSON.stringify(value) ?? 'null') }, { weight: 1, arbitrary: brokenJsonText })
    : route.method === 'PUT'
      ? fc.string({ maxLength: 200 })
      : fc.constant(undefined);
  const authorization = fc.oneof({ weight: 12, arbitrary: fc.constant(token) }, { weight: 1, arbitrary: fc.constantFrom('', 'Bearer x', `${token}x`) });
  return fc.record({ params, query, body, authorization }).map(({ params: values, query: sentQuery, body: text, authorization: auth }) => {
    let index = 0;
    const path = route.path.replace(/:\w+/g, () => percentEncode(values[index++]!));
    const search = queryString(sentQuery);
    const contentType = route.path.startsWith('/aws/files') ? 'application/octet-stream' : 'application/json';
    return {
      method: route.method,
      path: `/_fleetlab${path}${search ? `?${search}` : ''}`,
      headers: { ...(auth !== '' && { authorization: auth }), ...(text !== undefined && { 'content-type': contentType }) },
      ...(text !== undefined && { body: text }),
    };
  });
}

/** A query object as a browser's URLSearchParams would send it: objects and arrays as their JSON. */
function queryString(query: unknown): string {
  if (query === null || typeof query !== 'object') return query === undefined ? '' : `q=${percentEncode(String(query).slice(0, 1_500))}`;
  return Object.entries(query)
    // Each value stays short enough for Node's 16 KiB request head (a longer one is refused before the API sees it).
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode((typeof value === 'string' ? value : (JSON.stringify(value) ?? '')).slice(0, 1_500))}`)
    .join('&');
}
