import type { FastifyInstance } from 'fastify';
import type { DeviceRecord } from '../../../store/records.js';
import { toView } from '../../../domain/devices/device-catalog.js';
import { matchDevices, type DeviceCriteria, type DeviceMatches } from '../../../domain/devices/device-search.js';
import { CentralError } from '../../central/errors.js';
import { DevicePage, DevicesQuery, FleetSummary, GroupPreview, GroupPreviewBody, NextRuns, type DeviceRow } from '../schema/fleet.js';
import { integerParam } from '../query-params.js';

const CONNECTIONS = ['online', 'offline', 'profile'] as const;
const ORDERS = ['oldest', 'newest'] as const;
/** Large enough for an export to read a million devices in a few hundred requests. */
const MAX_DEVICE_PAGE = 5000;

function oneOf<T extends string>(name: string, text: string | undefined, choices: readonly T[]): T | undefined {
  if (text === undefined || text === '') return undefined;
  if (!(choices as readonly string[]).includes(text)) throw new CentralError('BadRequest', `"${name}" must be one of ${choices.join(', ')}, got "${text}".`);
  return text as T;
}

function criteriaOf(query: DevicesQuery): DeviceCriteria {
  const simulated = oneOf('simulated', query.simulated, ['true', 'false'] as const);
  if ((query.search?.length ?? 0) > 128) throw new CentralError('BadRequest', '"search" must be at most 128 characters.');
  return {
    ...(query.search?.trim() && { search: query.search }),
    ...(query.template && { template: query.template }),
    ...(query.connection && { connection: oneOf('connection', query.connection, CONNECTIONS) }),
    ...(simulated && { simulated: simulated === 'true' }),
  };
}

const PREVIEW_SAMPLE = 5;

/** Read views for the UI's fleet screens: summary, random access into the device list, a filter's live count, next runs. */
export async function fleetViewRoutes(app: FastifyInstance): Promise<void> {
  const { devices, groups, templates, scheduler } = app.services;

  // IoT Central's ScheduledJob has no next-run field; the UI's schedule list shows it from here.
  app.get<{ Reply: NextRuns }>('/scheduled-jobs/next-runs', { schema: { response: { 200: NextRuns } } }, async () =>
    Object.fromEntries(
      scheduler.list().map((record) => {
        const next = scheduler.nextRunTime(record);
        return [record.id, next === undefined ? null : new Date(next).toISOString()];
      }),
    ),
  );

  // Connectivity set by hand; every other device is online except for its profile's per-operation offlineRate.
  app.get<{ Reply: FleetSummary }>('/fleet/summary', { schema: { response: { 200: FleetSummary } } }, async () => {
    const edited = devices.storedRecords();
    return {
      devices: devices.count(),
      setOffline: edited.filter((record) => record.online === false).length,
      setOnline: edited.filter((record) => record.online === true).length,
      templates: templates.list().length,
      groups: groups.list().length,
      fleets: devices.fleets().length,
    };
  });

  // The last search's matches, while the fleet is unchanged: paging through them (an export) does not search again.
  let lastSearch: { key: string; version: number; matches: DeviceMatches } | undefined;
  const matchesFor = (criteria: DeviceCriteria): DeviceMatches => {
    const key = JSON.stringify(criteria);
    const version = devices.index.version;
    if (lastSearch?.key !== key || lastSearch.version !== version) lastSearch = { key, version, matches: matchDevices(devices.index, criteria) };
    return lastSearch.matches;
  };

  const row = (record: DeviceRecord): DeviceRow => ({ ...toView(record), online: record.online ?? null, behaviorOverridden: record.behavior !== undefined });

  // Unlike /api/devices (nextLink paging), any offset: the virtualized table jumps to wherever the user scrolls. With
  // search, template, connection or simulated, only the matching devices; `order=newest` lists the last added first.
  app.get<{ Querystring: DevicesQuery; Reply: DevicePage }>('/devices', { schema: { querystring: DevicesQuery, response: { 200: DevicePage } } }, async (request) => {
    const offset = integerParam('offset', request.query.offset, 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = integerParam('limit', request.query.limit, 100, 1, MAX_DEVICE_PAGE);
    const newest = oneOf('order', request.query.order, ORDERS) === 'newest';
    const criteria = criteriaOf(request.query);
    const total = devices.count();
    const filtered = Object.keys(criteria).length > 0;
    const matches = filtered ? matchesFor(criteria) : undefined;
    const matched = matches?.count ?? total;
    const end = Math.min(matched, offset + limit);
    // Newest first is the same block of the listing, counted from its end.
    const [from, to] = newest ? [Math.max(0, matched - end), matched - offset] : [offset, end];
    const page: DeviceRecord[] = [];
    if (matches) for (let k = from; k < to; k++) page.push(matches.at(k));
    else for (const view of devices.page(from, to)) page.push(devices.find(view.id)!);
    if (newest) page.reverse();
    return { total, matched, offset, devices: page.map(row) };
  });

  app.post<{ Body: GroupPreviewBody; Reply: GroupPreview }>(
    '/groups/preview',
    { schema: { body: GroupPreviewBody, response: { 200: GroupPreview } } },
    async (request) => groups.preview(request.body.filter, PREVIEW_SAMPLE),
  );
}
