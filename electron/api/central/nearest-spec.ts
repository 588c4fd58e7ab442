import type { FastifyRequest } from 'fastify';
import { CentralError } from './errors.js';

/**
 * How an api-version whose own OpenAPI file is not in the repository differs, where a client can tell, from the
 * nearest file it is validated against (docs/compat.md, "api-versions without their own file").
 */
interface NearestSpecDifferences {
  /** The version's own query parameter names, and the nearest file's name for each. */
  queryNames: Readonly<Record<string, string>>;
  /** Query parameters of the nearest file that this version does not define: ignored, as undeclared ones are. */
  undeclaredQuery: readonly string[];
  /** Operations of the nearest file that this version does not define. */
  absentOperations: ReadonlySet<string>;
  /** Job data types of the nearest file that this version does not define. */
  absentJobTypes: ReadonlySet<string>;
  /** The largest `$top` the version accepts: a page size, like the nearest file's `maxpagesize`. */
  maxTop: number;
}

const JUNE_2022_PREVIEW: NearestSpecDifferences = {
  queryNames: { $filter: 'filter', $orderby: 'orderby', $top: 'maxpagesize' },
  undeclaredQuery: ['filter', 'orderby', 'maxpagesize', 'expand'],
  absentOperations: new Set([
    'DeploymentManifests_List',
    'DeploymentManifests_Get',
    'DeploymentManifests_Create',
    'DeploymentManifests_Update',
    'DeploymentManifests_Remove',
    'Devices_ApplyManifest',
  ]),
  absentJobTypes: new Set(['deviceManifestMigration', 'DeviceManifestMigrationJobData']),
  maxTop: 100,
};

// A Map, not an object literal: `?api-version=__proto__` must not find Object.prototype's members.
const DIFFERENCES = new Map<string, NearestSpecDifferences>([['2022-06-30-preview', JUNE_2022_PREVIEW]]);

/** Whether the request's own api-version defines the operation that its nearest spec file defines. */
export function versionDefines(apiVersion: string, operationId: string): boolean {
  return !DIFFERENCES.get(apiVersion)?.absentOperations.has(operationId);
}

/**
 * An onRequest step: the query in the nearest file's terms, so that validation, paging and filtering read one set
 * of names. The raw URL keeps the client's own names, and so does every nextLink built from it.
 */
export function translateQuery(request: FastifyRequest, apiVersion: string): void {
  const differences = DIFFERENCES.get(apiVersion);
  if (!differences) return;
  const query = { ...(request.query as Record<string, string>) };
  for (const name of differences.undeclaredQuery) delete query[name];
  for (const [own, nearest] of Object.entries(differences.queryNames)) {
    if (!Object.hasOwn(query, own)) continue;
    const value = query[own]!;
    delete query[own];
    if (own === '$top' && !isPageSize(value, differences.maxTop)) {
      throw new CentralError('BadRequest', `"$top" must be an integer from 1 to ${differences.maxTop}, got "${value}".`);
    }
    query[nearest] = value;
  }
  request.query = query;
}

/** A preValidation step: a job type the request's api-version does not define is a 422, as the service answers it. */
export function refuseAbsentJobTypes(request: FastifyRequest, apiVersion: string): void {
  const absent = DIFFERENCES.get(apiVersion)?.absentJobTypes;
  const data = (request.body as { data?: unknown } | undefined)?.data;
  if (!absent || !Array.isArray(data)) return;
  const index = data.findIndex((item) => absent.has((item as { type?: unknown } | null)?.type as string));
  if (index >= 0) {
    throw new CentralError('UnprocessableEntity', `data[${index}].type: "${(data[index] as { type: string }).type}" is not part of IoT Central API version ${apiVersion}.`);
  }
}

function isPageSize(text: string, max: number): boolean {
  const size = Number(text);
  return /^\d+$/.test(text) && size >= 1 && size <= max;
}
