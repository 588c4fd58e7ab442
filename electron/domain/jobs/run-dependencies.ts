import type { BehaviorRecord } from '../../store/records.js';
import type { ClockTimers } from '../clock-timers.js';
import type { DeviceSlice, FleetExecutor } from '../fleet-executor.js';
import type { SimulationClock } from '../simulation-clock.js';

export interface DeviceBehaviors {
  profiles: BehaviorRecord[];
  profileIndex?: Uint16Array;
  connectivity?: Int8Array;
  /** 1 for a device a real agent drives (it reports its outcome itself) instead of the simulator. */
  external?: Uint8Array;
}

/** Earliest simulated time at or after `now` when devices may be released (recurring windows). */
export type ReleaseGate = (now: number) => number;

/** What a run needs from the engine; `Run` is the run itself, handed back to its callbacks. */
export interface RunDependencies<Run> {
  clock: SimulationClock;
  /** Where the run's release timer is armed, under the job's id. */
  timers: ClockTimers;
  executor: FleetExecutor;
  behaviorFor(slices: DeviceSlice[]): DeviceBehaviors;
  seed(): number;
  /** Persist progress (throttled by the caller); `urgent` at release boundaries and at the end. */
  checkpoint(run: Run, urgent: boolean): void;
  /** The run has nothing in flight and nothing more to release in its current status. */
  settled(run: Run): void;
  /** The run hit an error it cannot recover from (the executor failed). */
  crashed(run: Run, error: unknown): void;
  gate?: ReleaseGate;
  /** Released devices the simulator does not answer (see DeviceBehaviors.external), to be told of their operation. */
  externalReleased?(run: Run, deviceIds: string[]): void;
}
