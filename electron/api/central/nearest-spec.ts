import type { FastifyRequest } from 'fastify';
import { CentralError } from './errors.js';
import { MAX_PAGE_SIZE } from './paging.js';

/** A list option the version spells differently from the nearest file. */
interface RenamedQuery {
  own: string;
  nearest: string;
  /** The operations that declare it in the version's file; every operation when absent. */
  operations?: ReadonlySet<string>;
}

/**
 * How an api-version whose own OpenAPI file is not in the repository differs, where a client can tell, from the
 * nearest file it is validated against (docs/compat.md, "api-versions without their own file").
 */
interface NearestSpecDifferences {
  renamedQuery: readonly RenamedQuery[];
  /** Query parameters of the nearest file that this version does not define: ignored, as undeclared ones are. */
  undeclaredQuery: readonly string[];
  /** Operations of the nearest file, in the areas Fleetlab emulates, that this version does not define. */
  absentOperations: ReadonlySet<string>;
  /** Job data types of the nearest file that this version does not define. */
  absentJobTypes: ReadonlySet<string>;
  /** The largest `$top` the version accepts; without one, any `$top` from 1 is accepted and pages hold at most MAX_PAGE_SIZE. */
  maxTop?: number;
  /** Whether a device or device group belongs to at most one organization (`organizations` with `maxItems: 1`). */
  singleOrganization: boolean;
  /** Operations whose path the version's file ends with a slash (`/devices/{deviceId}/relationships/`). */
  slashTerminated: ReadonlySet<string>;
}

const MANIFEST_OPERATIONS = [
  'DeploymentManifests_List',
  'DeploymentManifests_Get',
  'DeploymentManifests_Create',
  'DeploymentManifests_Update',
  'DeploymentManifests_Remove',
  'Devices_ApplyManifest',
];
const SCHEDULED_JOB_OPERATIONS = [
  'ScheduledJobs_List',
  'ScheduledJobs_Get',
  'ScheduledJobs_Create',
  'ScheduledJobs_Update',
  'ScheduledJobs_Remove',
  'ScheduledJobs_ListJobs',
];
const MANIFEST_JOB_TYPES = ['deviceManifestMigration', 'DeviceManifestMigrationJobData'];
const LIST_OPTIONS_OF_LATER_PREVIEWS = ['filter', 'orderby', 'maxpagesize', 'expand'];

const JUNE_2022_PREVIEW: NearestSpecDifferences = {
  renamedQuery: [
    { own: '$filter', nearest: 'filter' },
    { own: '$orderby', nearest: 'orderby' },
    { own: '$top', nearest: 'maxpagesize' },
  ],
  undeclaredQuery: LIST_OPTIONS_OF_LATER_PREVIEWS,
  absentOperations: new Set(MANIFEST_OPERATIONS),
  absentJobTypes: new Set(MANIFEST_JOB_TYPES),
  maxTop: 100,
  singleOrganization: false,
  slashTerminated: new Set(),
};

const ODATA_LISTS = new Set(['Devices_List', 'DeviceGroups_List', 'DeviceTemplates_List']);

const PREVIEW_1_2: NearestSpecDifferences = {
  renamedQuery: [
    { own: '$filter', nearest: 'filter', operations: ODATA_LISTS },
    { own: '$orderby', nearest: 'orderby', operations: ODATA_LISTS },
    { own: '$top', nearest: 'maxpagesize', operations: ODATA_LISTS },
  ],
  undeclaredQuery: [...LIST_OPTIONS_OF_LATER_PREVIEWS, 'unmodeled'],
  absentOperations: new Set([...MANIFEST_OPERATIONS, ...SCHEDULED_JOB_OPERATIONS, 'DeviceGroups_GetDevices']),
  absentJobTypes: new Set(MANIFEST_JOB_TYPES),
  singleOrganization: true,
  slashTerminated: new Set(['Devices_ListRelationships']),
};

const PREVIEW_1_1: NearestSpecDifferences = {
  renamedQuery: [],
  undeclaredQuery: [...LIST_OPTIONS_OF_LATER_PREVIEWS, 'unmodeled'],
  absentOperations: new Set([
    ...MANIFEST_OPERATIONS,
    ...SCHEDULED_JOB_OPERATIONS,
    'DeviceGroups_Get',
    'DeviceGroups_Create',
    'DeviceGroups_Update',
    'DeviceGroups_Remove',
    'DeviceGroups_GetDevices',
    'Devices_ListRelationships',
    'Devices_GetRelationship',
    'Devices_CreateRelationship',
    'Devices_UpdateRelationship',
    'Devices_RemoveRelationship',
  ]),
  absentJobTypes: new Set([...MANIFEST_JOB_TYPES, 'deviceTemplateMigration', 'DeviceTemplateMigrationJobData']),
  singleOrganization: true,
  slashTerminated: new Set(),
};

// A Map, not an object literal: `?api-version=__proto__` must not find Object.prototype's members.
const DIFFERENCES = new Map<string, NearestSpecDifferences>([
  ['2022-06-30-preview', JUNE_2022_PREVIEW],
  ['1.2-preview', PREVIEW_1_2],
  ['1.1-preview', PREVIEW_1_1],
  // The jobs how-to that sends `api-version=preview` documents 1.1-preview as "the preview API" (docs/compat.md).
  ['preview', PREVIEW_1_1],
]);

const ORGANIZATION_BODIES = new Set(['Devices_Create', 'Devices_Update', 'DeviceGroups_Create', 'DeviceGroups_Update']);

/** Whether the request's own api-version defines the operation that its nearest spec file defines. */
export function versionDefines(apiVersion: string, operationId: string): boolean {
  return !DIFFERENCES.get(apiVersion)?.absentOperations.has(operationId);
}

/** Whether the request's own api-version spells the operation's path with a trailing slash. */
export function versionEndsPathWithSlash(apiVersion: string, operationId: string): boolean {
  return DIFFERENCES.get(apiVersion)?.slashTerminated.has(operationId) ?? false;
}

/**
 * An onRequest step: the query in the nearest file's terms, so that validation, paging and filtering read one set
 * of names. The raw URL keeps the client's own names, and so does every nextLink built from it.
 */
export function translateQuery(request: FastifyRequest, apiVersion: string): void {
  const differences = DIFFERENCES.get(apiVersion);
  if (!differences) return;
  const operationId = request.routeOptions.config.operation;
  const query = { ...(request.query as Record<string, string>) };
  for (const name of differences.undeclaredQuery) delete query[name];
  for (const { own, nearest, operations } of differences.renamedQuery) {
    if (!Object.hasOwn(query, own) || (operations && !operations.has(operationId ?? ''))) continue;
    const value = query[own]!;
    delete query[own];
    query[nearest] = own === '$top' ? pageSizeOfTop(value, differences.maxTop) : value;
  }
  request.query = query;
}

/**
 * A preValidation step: what the request's api-version refuses in a body that the nearest file accepts, as a 422
 * the way the service answers a body that breaks its contract.
 */
export function refuseWhatTheVersionLacks(request: FastifyRequest, apiVersion: string): void {
  const differences = DIFFERENCES.get(apiVersion);
  const body = request.body as { data?: unknown; organizations?: unknown } | undefined;
  if (!differences || typeof body !== 'object' || body === null) return;
  if (Array.isArray(body.data)) {
    const index = body.data.findIndex((item) => differences.absentJobTypes.has((item as { type?: unknown } | null)?.type as string));
    if (index >= 0) {
      throw new CentralError('UnprocessableEntity', `data[${index}].type: "${(body.data[index] as { type: string }).type}" is not part of IoT Central API version ${apiVersion}.`);
    }
  }
  const operationId = request.routeOptions.config.operation ?? '';
  if (differences.singleOrganization && ORGANIZATION_BODIES.has(operationId) && Array.isArray(body.organizations) && body.organizations.length > 1) {
    throw new CentralError('UnprocessableEntity', `organizations: must have at most 1 item in IoT Central API version ${apiVersion}.`);
  }
}

/** The page size a `$top` asks for: a 400 unless a whole number from 1 to the version's largest. */
function pageSizeOfTop(text: string, maxTop: number | undefined): string {
  const size = Number(text);
  const largest = maxTop ?? Number.MAX_SAFE_INTEGER;
  if (!/^\d+$/.test(text) || size < 1 || size > largest) {
    const range = maxTop === undefined ? 'an integer of at least 1' : `an integer from 1 to ${maxTop}`;
    throw new CentralError('BadRequest', `"$top" must be ${range}, got "${text}".`);
  }
  return String(Math.min(size, MAX_PAGE_SIZE));
}
