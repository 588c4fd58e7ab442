import { Type, type Static } from '@sinclair/typebox';
import { QueryText, StrictObject } from './common.js';

export const FleetBody = StrictObject({
  template: Type.String({ minLength: 1 }),
  count: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
  idPrefix: Type.String({ pattern: '^[a-zA-Z0-9-]+$', maxLength: 110 }),
  simulated: Type.Optional(Type.Boolean()),
});

export const FleetCreated = Type.Object({ count: Type.Integer(), firstId: Type.String(), lastId: Type.String(), durationMs: Type.Number() });

/** Devices `<prefix>-<first>` .. `<prefix>-<first+count-1>`, created in bulk. */
const Fleet = Type.Object({ prefix: Type.String(), first: Type.Integer(), count: Type.Integer(), template: Type.String(), simulated: Type.Boolean() });
export const Fleets = Type.Object({ total: Type.Integer({ description: 'Every device, fleets and single ones' }), fleets: Type.Array(Fleet) });

export const FleetSummary = Type.Object({
  devices: Type.Integer(),
  setOffline: Type.Integer(),
  setOnline: Type.Integer(),
  templates: Type.Integer(),
  groups: Type.Integer(),
  fleets: Type.Integer(),
});

export const DevicesQuery = Type.Object({
  offset: QueryText,
  limit: QueryText,
  search: QueryText,
  template: QueryText,
  connection: QueryText,
  simulated: QueryText,
  order: QueryText,
});

export const DeviceRow = Type.Object({
  id: Type.String(),
  etag: Type.String(),
  displayName: Type.String(),
  template: Type.Optional(Type.String()),
  enabled: Type.Boolean(),
  provisioned: Type.Boolean(),
  simulated: Type.Boolean(),
  organizations: Type.Optional(Type.Array(Type.String())),
  online: Type.Union([Type.Boolean(), Type.Null()]),
  behaviorOverridden: Type.Boolean(),
});

export const DevicePage = Type.Object({
  total: Type.Integer(),
  /** Devices that pass the filters; `total` without any. */
  matched: Type.Integer(),
  offset: Type.Integer(),
  devices: Type.Array(DeviceRow),
});

export const GroupPreviewBody = StrictObject({ filter: Type.String({ minLength: 1 }) });
export const GroupPreview = Type.Object({ count: Type.Integer(), sample: Type.Array(Type.String()) });

/** Each scheduled job's next run, null when it has none left. */
export const NextRuns = Type.Record(Type.String(), Type.Union([Type.String({ format: 'date-time' }), Type.Null()]));

export type FleetBody = Static<typeof FleetBody>;
export type FleetCreated = Static<typeof FleetCreated>;
export type Fleets = Static<typeof Fleets>;
export type FleetSummary = Static<typeof FleetSummary>;
export type DevicesQuery = Static<typeof DevicesQuery>;
export type DeviceRow = Static<typeof DeviceRow>;
export type DevicePage = Static<typeof DevicePage>;
export type GroupPreview = Static<typeof GroupPreview>;
export type NextRuns = Static<typeof NextRuns>;
export type GroupPreviewBody = Static<typeof GroupPreviewBody>;
