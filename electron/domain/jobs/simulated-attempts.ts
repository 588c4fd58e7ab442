import type { DeviceSlice } from '../fleet-executor.js';
import { attemptOnDevices } from './device-attempts.js';
import { DEVICE_PENDING, failureKindOf, type JobRecord } from './job-model.js';
import { retriesAllowed } from './job-spec.js';
import type { OutcomeTimeline } from './outcome-timeline.js';
import type { RunDependencies } from './run-dependencies.js';
import type { RunDeviceState } from './run-device-state.js';

/** Devices started together (a batch, or one minute of a rate-based release). */
export interface Release {
  size: number;
  failed: number;
}

/** What the attempts ask of their run. */
export interface AttemptHooks {
  /** False once the run stopped applying outcomes (abandoned). */
  live(): boolean;
  /** Runs a step on the clock: whatever it throws ends the run as crashed. */
  guarded(step: () => void): void;
  crashed(error: unknown): void;
  /** Devices went into flight (positive) or came out of it (negative). */
  inFlight(delta: number): void;
  /** A device's attempts are over: `byte` is its outcome. */
  answered(position: number, byte: number, release: Release): void;
  /** A round of answers was applied (the run checkpoints). */
  applied(): void;
  /** Every attempt of a round answered. */
  drained(): void;
}

/**
 * Simulated devices' attempts: the simulator's outcomes applied at their latencies on the simulation clock, and a
 * failed device tried again while the job's retry rules for its failure kind allow.
 */
export class SimulatedAttempts {
  constructor(
    private readonly deps: Pick<RunDependencies<unknown>, 'clock' | 'executor' | 'behaviorFor' | 'seed'>,
    private readonly record: JobRecord,
    private readonly state: RunDeviceState,
    private readonly run: AttemptHooks,
  ) {}

  attempt(positions: number[], slices: DeviceSlice[], release: Release, retry = 0): void {
    this.run.inFlight(positions.length);
    const startedAt = this.deps.clock.now();
    const done = this.deps.clock.hold();
    attemptOnDevices(this.deps, this.record, slices, positions.length, retry)
      .then(
        (timeline) => this.scheduleNext(timeline, positions, release, startedAt),
        (error: unknown) => this.run.crashed(error),
      )
      .finally(done);
  }

  private scheduleNext(timeline: OutcomeTimeline, positions: number[], release: Release, startedAt: number): void {
    if (!this.run.live()) return;
    if (timeline.done) return this.run.drained();
    this.deps.clock.schedule(startedAt + timeline.nextLatency(), 'work', () => this.run.guarded(() => {
      if (!this.run.live()) return;
      const retries: number[] = [];
      timeline.takeUntil(this.deps.clock.now() - startedAt, (index, byte) => {
        const position = positions[index]!;
        this.run.inFlight(-1);
        if (this.shouldRetry(position, byte)) retries.push(position);
        else this.run.answered(position, byte, release);
      });
      if (retries.length > 0) this.retry(retries, release);
      this.run.applied();
      this.scheduleNext(timeline, positions, release, startedAt);
    }));
  }

  private shouldRetry(position: number, byte: number): boolean {
    const kind = failureKindOf(byte);
    if (!this.state.retries || !kind || kind === 'rejected' || this.state.status[position] !== DEVICE_PENDING) return false;
    if (this.state.attemptsOf(position) >= retriesAllowed(this.record.spec.retry, kind)) return false;
    this.state.countAttempt(position);
    return true;
  }

  private retry(positions: number[], release: Release): void {
    const byAttempt = new Map<number, number[]>();
    for (const p of positions) byAttempt.set(this.state.attemptsOf(p), [...(byAttempt.get(this.state.attemptsOf(p)) ?? []), p]);
    for (const [attempt, group] of byAttempt) this.attempt(group, [{ ids: group.map((p) => this.state.devices.idAt(p)) }], release, attempt);
  }
}
