import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from './common.js';

const rate = () => Type.Number({ minimum: 0, maximum: 1 });
const latencyBound = (minimum: number) => Type.Integer({ minimum, maximum: 3_600_000 });

const LATENCY_MEMBERS = {
  min: latencyBound(0),
  max: latencyBound(0),
  mean: Type.Optional(latencyBound(1)),
  p99: Type.Optional(latencyBound(1)),
};

/** A complete behaviour profile, as the simulation defaults and every effective profile are. */
export const Behavior = Type.Object({
  propertyFailureRate: rate(),
  commandFailureRate: rate(),
  offlineRate: rate(),
  latencyMs: Type.Object(LATENCY_MEMBERS, { description: 'Uniform in [min, max]; with mean and p99, log-normal' }),
  commandTimeoutMs: Type.Integer({ minimum: 1, maximum: 86_400_000 }),
  downloadMsPerMb: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000 })),
  downloadFailureRatePerMb: Type.Optional(rate()),
});

const partialMembers = {
  propertyFailureRate: Type.Optional(rate()),
  commandFailureRate: Type.Optional(rate()),
  offlineRate: Type.Optional(rate()),
  commandTimeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400_000 })),
  downloadMsPerMb: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000 })),
  downloadFailureRatePerMb: Type.Optional(rate()),
};

/** Part of a profile, for a template or a device. An override replaces latencyMs as a whole, so both bounds are required there. */
const BehaviorOverride = StrictObject({ ...partialMembers, latencyMs: Type.Optional(StrictObject(LATENCY_MEMBERS)) });

/** Part of the simulation defaults; a latencyMs given keeps the current bounds it leaves out. */
const DefaultsPatch = StrictObject({
  ...partialMembers,
  latencyMs: Type.Optional(StrictObject({ ...LATENCY_MEMBERS, min: Type.Optional(LATENCY_MEMBERS.min), max: Type.Optional(LATENCY_MEMBERS.max) })),
});

export const SimulationBody = StrictObject({
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4_294_967_295 })),
  timeScale: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
  defaults: Type.Optional(DefaultsPatch),
});

export const Simulation = Type.Object({
  seed: Type.Integer(),
  timeScale: Type.Number(),
  defaults: Behavior,
  now: Type.String({ format: 'date-time', description: 'Simulated time' }),
});

export const ClockAdvanceBody = StrictObject({ ms: Type.Integer({ minimum: 0, maximum: 10 * 365 * 24 * 3600_000 }) });
export const SimulatedNow = Type.Object({ now: Type.String({ format: 'date-time' }) });

export const TemplateBehaviorBody = BehaviorOverride;
export const DeviceBehaviorBody = StrictObject({
  ...BehaviorOverride.properties,
  // One type list, not a union: a wrong value reads "must be boolean,null" as before.
  online: Type.Optional(Type.Unsafe<boolean | null>({ type: ['boolean', 'null'] })),
  external: Type.Optional(Type.Boolean()),
});

export const TemplateBehavior = Type.Object({
  /** The values set on this level; PUT replaces them, so PUT {} returns the level to what it inherits. */
  behavior: Type.Partial(Behavior),
  /** The profile without this level's values: the simulation defaults, or for a device its template's profile. */
  inherited: Behavior,
  /** inherited <- behavior */
  effective: Behavior,
});

export const DeviceBehavior = Type.Object({
  ...TemplateBehavior.properties,
  /** Explicit connectivity; null when the profile's offlineRate decides. */
  online: Type.Union([Type.Boolean(), Type.Null()]),
  /** A real agent, not the simulator, answers the device's AWS IoT job executions. */
  external: Type.Boolean(),
});

export type Behavior = Static<typeof Behavior>;
export type Simulation = Static<typeof Simulation>;
export type SimulationBody = Static<typeof SimulationBody>;
export type TemplateBehavior = Static<typeof TemplateBehavior>;
export type DeviceBehavior = Static<typeof DeviceBehavior>;
export type DeviceBehaviorBody = Static<typeof DeviceBehaviorBody>;
export type ClockAdvanceBody = Static<typeof ClockAdvanceBody>;
export type SimulatedNow = Static<typeof SimulatedNow>;
export type TemplateBehaviorBody = Static<typeof TemplateBehaviorBody>;
