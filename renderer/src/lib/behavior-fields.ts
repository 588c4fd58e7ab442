import type { Behavior } from '../api/control-types';

/** A behaviour profile as its editor shows it: rates in percent (the API stores fractions), latency as two fields. */
export interface BehaviorFields {
  propertyFailureRate: number;
  commandFailureRate: number;
  offlineRate: number;
  latencyMin: number;
  latencyMax: number;
  commandTimeoutMs: number;
  downloadMsPerMb: number;
  downloadFailurePercentPerMb: number;
}

export type BehaviorKey = keyof Behavior;

/** The members a level can set, as the editor counts them (latency's two bounds are one member). */
export const BEHAVIOR_KEYS: readonly BehaviorKey[] = ['propertyFailureRate', 'commandFailureRate', 'offlineRate', 'latencyMs', 'commandTimeoutMs', 'downloadMsPerMb', 'downloadFailureRatePerMb'];

const percent = (fraction: number) => Math.round(fraction * 10_000) / 100;

export function fieldsFrom(behavior: Behavior): BehaviorFields {
  return {
    propertyFailureRate: percent(behavior.propertyFailureRate),
    commandFailureRate: percent(behavior.commandFailureRate),
    offlineRate: percent(behavior.offlineRate),
    latencyMin: behavior.latencyMs.min,
    latencyMax: behavior.latencyMs.max,
    commandTimeoutMs: behavior.commandTimeoutMs,
    // Absent in profiles stored before downloads were simulated: the simulator takes them as 0.
    downloadMsPerMb: behavior.downloadMsPerMb ?? 0,
    downloadFailurePercentPerMb: percent(behavior.downloadFailureRatePerMb ?? 0),
  };
}

function profileOf(fields: BehaviorFields): Behavior {
  return {
    propertyFailureRate: fields.propertyFailureRate / 100,
    commandFailureRate: fields.commandFailureRate / 100,
    offlineRate: fields.offlineRate / 100,
    latencyMs: { min: fields.latencyMin, max: fields.latencyMax },
    commandTimeoutMs: fields.commandTimeoutMs,
    downloadMsPerMb: fields.downloadMsPerMb,
    downloadFailureRatePerMb: fields.downloadFailurePercentPerMb / 100,
  };
}

/** The members a level sets itself. */
export function ownKeysOf(own: Partial<Behavior>): Set<BehaviorKey> {
  return new Set(BEHAVIOR_KEYS.filter((key) => own[key] !== undefined));
}

/** The edited value of `key` as the editor shows it, so that a rate is compared at the precision it is edited at. */
function shown(fields: BehaviorFields, key: BehaviorKey): string {
  if (key === 'latencyMs') return `${fields.latencyMin}-${fields.latencyMax}`;
  if (key === 'downloadFailureRatePerMb') return String(fields.downloadFailurePercentPerMb);
  return String(fields[key]);
}

/**
 * What to save. Without an inherited profile (the simulation defaults): every value. With one: only this level's own
 * values, i.e. those that differ from what it inherits, and those it already set that were left as they were (a value
 * equal to the inherited one that was not set here keeps following the level above).
 */
export function overrideOf(fields: BehaviorFields, own?: Partial<Behavior>, inherited?: Behavior): Partial<Behavior> {
  const edited = profileOf(fields);
  if (!own || !inherited) return edited;
  const before = fieldsFrom({ ...inherited, ...own });
  const above = fieldsFrom(inherited);
  const result: Partial<Behavior> = {};
  for (const key of BEHAVIOR_KEYS) {
    const unchangedOwn = key in own && shown(fields, key) === shown(before, key);
    if (unchangedOwn) Object.assign(result, { [key]: own[key] });
    else if (shown(fields, key) !== shown(above, key)) Object.assign(result, { [key]: edited[key] });
  }
  return result;
}
