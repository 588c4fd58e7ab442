import { DEFAULT_BODY_LIMITS, type BodyLimits } from './api/body-limits.js';
import { DEFAULT_MAX_DEVICES } from './domain/devices/device-catalog.js';
import { DEFAULT_FILTER_LIMITS, type FilterLimits } from './domain/query/filter-limits.js';

/** How many devices the fleet may hold in all. */
export interface FleetLimits {
  maxDevices: number;
}

/** How large one object of the local S3 may be (an OTA image, say). */
export interface ObjectLimits {
  maxObjectMb: number;
}

/** Every size limit of the emulator: request handling, the fleet and the local S3. */
export type EmulatorLimits = BodyLimits & FilterLimits & FleetLimits & ObjectLimits;

export const DEFAULT_LIMITS: EmulatorLimits = { ...DEFAULT_BODY_LIMITS, ...DEFAULT_FILTER_LIMITS, maxDevices: DEFAULT_MAX_DEVICES, maxObjectMb: 512 };

export interface LimitSetting {
  field: keyof EmulatorLimits;
  flag: string;
  env: string;
  min: number;
  /** Beyond this the limit stops protecting: V8 strings end near 512 MiB, deep values overflow the stack. */
  max: number;
  meaning: string;
}

/** How `fleetlab serve` sets each limit: a flag, else an environment variable, else the default. */
export const LIMIT_SETTINGS: readonly LimitSetting[] = [
  { field: 'maxBodyKb', flag: 'max-body-kb', env: 'FLEETLAB_MAX_BODY_KB', min: 1, max: 512 * 1024, meaning: 'largest request body in KiB, except snapshot imports' },
  { field: 'maxSnapshotMb', flag: 'max-snapshot-mb', env: 'FLEETLAB_MAX_SNAPSHOT_MB', min: 1, max: 512, meaning: 'largest PUT /_fleetlab/snapshot body in MiB' },
  { field: 'maxJsonDepth', flag: 'max-json-depth', env: 'FLEETLAB_MAX_JSON_DEPTH', min: 1, max: 1000, meaning: 'deepest nesting of JSON objects and arrays in a body' },
  { field: 'maxFilterLength', flag: 'max-filter-length', env: 'FLEETLAB_MAX_FILTER_LENGTH', min: 1, max: 65536, meaning: 'longest device group or device list filter, in characters' },
  { field: 'maxDevices', flag: 'max-devices', env: 'FLEETLAB_MAX_DEVICES', min: 1, max: 1_000_000_000, meaning: 'most devices the fleet may hold in all' },
  { field: 'maxObjectMb', flag: 'max-object-mb', env: 'FLEETLAB_MAX_OBJECT_MB', min: 1, max: 1024 * 1024, meaning: 'largest object of the local S3 (/s3) in MiB, one PUT or the parts of a multipart upload together; it is streamed to disk, never held in memory' },
  { field: 'maxFilterDepth', flag: 'max-filter-depth', env: 'FLEETLAB_MAX_FILTER_DEPTH', min: 1, max: 1000, meaning: 'deepest nesting of parentheses in a filter' },
];

export function withDefaults(limits: Partial<EmulatorLimits> = {}): EmulatorLimits {
  const given = Object.entries(limits).filter(([, value]) => value !== undefined);
  return { ...DEFAULT_LIMITS, ...Object.fromEntries(given) };
}
