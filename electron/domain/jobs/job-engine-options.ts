import type { JobDeviceFiles } from '../../store/job-files.js';
import type { Transaction } from '../../store/store.js';
import type { DomainLog, Supervisor } from '../background.js';
import type { DeviceSlice, FleetExecutor } from '../fleet-executor.js';
import type { AppStore, FleetlabSchema } from '../persisted.js';
import type { SimulationClock } from '../simulation-clock.js';
import type { RealDeviceAnswerer } from './real-device-answerer.js';
import type { DeviceBehaviors } from './run-dependencies.js';

/** What the engine needs to know about the fleet; the device catalog provides it. */
export interface FleetDirectory {
  /** The group's current members in a stable order; throws NotFound for an unknown group. */
  resolveGroup(groupId: string): { slices: DeviceSlice[]; total: number };
  behaviorFor(slices: DeviceSlice[]): DeviceBehaviors;
  /** The value devices receive for a capability, normalised to its schema; throws InvalidInput when it does not fit. */
  normalizeJobValue(templateId: string, kind: 'property' | 'command' | 'cloudProperty', path: string, value: unknown): unknown;
}

export interface JobEngineOptions {
  store: AppStore;
  files: JobDeviceFiles<DeviceSlice[]>;
  clock: SimulationClock;
  executor: FleetExecutor;
  fleet: FleetDirectory;
  /** Jobs running at once; more wait as `pending`. */
  concurrency?: number;
  /** Real milliseconds between progress checkpoints of a running job. */
  checkpointMs?: number;
  /** Runs checkpoints, settling and timers; its failures are logged. */
  supervisor?: Supervisor;
  log?: DomainLog;
  /** Where the engine reports what a user must know: a job file moved aside. */
  onNotice?: (message: string) => void;
  /** Hands released real devices their operation (IoT Hub devices over MQTT); their answers come back as reportExternal. */
  realDevices?: RealDeviceAnswerer;
}

/** Writes of another service that commit in the same transaction as the engine's. */
export type Stage = (tx: Transaction<FleetlabSchema>) => void;
