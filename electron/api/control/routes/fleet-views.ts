import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../domain/services.js';
import { strictBody } from '../body-validation.js';
import { integerParam } from '../query-params.js';

interface DevicesQuery {
  offset?: string;
  limit?: string;
}

const PREVIEW_BODY = {
  type: 'object',
  required: ['filter'],
  additionalProperties: false,
  properties: { filter: { type: 'string', minLength: 1 } },
} as const;

const PREVIEW_SAMPLE = 5;

/** Read views for the UI's fleet screens: summary, random access into the device list, a filter's live count, next runs. */
export async function fleetViewRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { devices, groups, templates, scheduler } = services;

  // IoT Central's ScheduledJob has no next-run field; the UI's schedule list shows it from here.
  app.get('/scheduled-jobs/next-runs', async () =>
    Object.fromEntries(
      scheduler.list().map((record) => {
        const next = scheduler.nextRunTime(record);
        return [record.id, next === undefined ? null : new Date(next).toISOString()];
      }),
    ),
  );

  // Connectivity set by hand; every other device is online except for its profile's per-operation offlineRate.
  app.get('/fleet/summary', async () => {
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

  // Unlike /api/devices (nextLink paging), any offset: the virtualized table jumps to wherever the user scrolls.
  app.get<{ Querystring: DevicesQuery }>('/devices', async (request) => {
    const offset = integerParam('offset', request.query.offset, 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = integerParam('limit', request.query.limit, 100, 1, 500);
    const total = devices.count();
    const page = devices.page(offset, Math.min(total, offset + limit)).map((view) => {
      const record = devices.find(view.id);
      return { ...view, online: record?.online ?? null, behaviorOverridden: record?.behavior !== undefined };
    });
    return { total, offset, devices: page };
  });

  app.post<{ Body: { filter: string } }>('/groups/preview', strictBody(PREVIEW_BODY), async (request) =>
    groups.preview(request.body.filter, PREVIEW_SAMPLE),
  );
}
