import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from './common.js';

const DeviceJobStatus = Type.Union([Type.Literal('pending'), Type.Literal('completed'), Type.Literal('failed')]);

export const JobDevicesQuery = Type.Object({
  offset: Type.Optional(Type.String({ pattern: '^\\d{1,9}$' })),
  limit: Type.Optional(Type.String({ pattern: '^\\d{1,5}$' })),
  status: Type.Optional(Type.Unsafe<Static<typeof DeviceJobStatus>>({ type: 'string', enum: ['pending', 'completed', 'failed'] })),
  search: Type.Optional(Type.String({ maxLength: 128 })),
});

export const JobDevicePage = Type.Object({
  total: Type.Integer(),
  /** Devices that pass the filter; `total` when there is none. */
  matched: Type.Integer(),
  devices: Type.Array(Type.Object({ id: Type.String(), status: DeviceJobStatus, error: Type.Optional(Type.String()) })),
});

export const JobOutcomes = Type.Object({
  /** `recorded`: from the time each device answered; `batches`: spread over the batches, for jobs without recorded times. */
  basis: Type.Union([Type.Literal('recorded'), Type.Literal('batches')]),
  points: Type.Array(Type.Object({ at: Type.String({ format: 'date-time' }), completed: Type.Integer(), failed: Type.Integer() })),
});

const CountOrPercentage = StrictObject({
  type: Type.Unsafe<'number' | 'percentage'>({ enum: ['number', 'percentage'] }),
  value: Type.Number({ exclusiveMinimum: 0 }),
});

export const JobDryRunBody = StrictObject({ group: Type.String({ minLength: 1 }), batch: Type.Optional(CountOrPercentage) });
export const JobDryRun = Type.Object({ devices: Type.Integer(), batchSize: Type.Integer(), batchCount: Type.Integer() });

export const Capabilities = Type.Object({
  value: Type.Array(
    Type.Object({
      kind: Type.Union([Type.Literal('property'), Type.Literal('command'), Type.Literal('cloudProperty')]),
      name: Type.String(),
      component: Type.Optional(Type.String()),
      /** DTDL schema (a primitive name or a complex schema object); a command's request schema. */
      schema: Type.Optional(Type.Unknown()),
      writable: Type.Boolean(),
      /** The DTDL displayName (its first language when localized); absent when the model gives none. */
      displayName: Type.Optional(Type.String()),
      /** What a job names it by: `name`, or `component.name`. */
      path: Type.String(),
    }),
  ),
});

export type JobDevicesQuery = Static<typeof JobDevicesQuery>;
export type JobDevicePage = Static<typeof JobDevicePage>;
export type JobOutcomes = Static<typeof JobOutcomes>;
export type JobDryRunBody = Static<typeof JobDryRunBody>;
export type JobDryRun = Static<typeof JobDryRun>;
export type Capabilities = Static<typeof Capabilities>;
