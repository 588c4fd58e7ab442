import type { DeviceChanges } from '../../store/job-files.js';
import type { DeviceSlice } from '../fleet-executor.js';
import type { RunDependencies } from './run-dependencies.js';
import { abortPolicyOf, FailureTally, type AbortPolicy } from './abort-policy.js';
import { DEVICE_COMPLETED, DEVICE_PENDING, isFailure, type JobRecord } from './job-model.js';
import { ReleaseTimer } from './release-timer.js';
import type { DeviceSet } from './device-set.js';
import { RunDeviceState, tickAt } from './run-device-state.js';
import { releasePolicyOf, type ReleasePolicy } from './release-policy.js';
import { SimulatedAttempts, type Release } from './simulated-attempts.js';

export type { DeviceBehaviors, RunDependencies } from './run-dependencies.js';

/**
 * One job's execution: releases devices as its release policy allows, has them attempted (simulated ones through
 * SimulatedAttempts, external ones by their agent), counts their outcomes, and cancels the job when its abort policy
 * says so.
 */
export class JobRun {
  readonly release: ReleasePolicy;
  readonly abort: AbortPolicy;
  /** Devices released so far: positions [0, released) were started at least once. */
  private releasedCount: number;
  private inFlightCount = 0;
  private readonly outcomes = new FailureTally();
  private current: Release = { size: 0, failed: 0 };
  private readonly state: RunDeviceState;
  private readonly simulated: SimulatedAttempts;
  private readonly releaseTimer: ReleaseTimer;
  private abandoned = false;
  private crashed = false;
  /** Released external devices awaiting their agent's answer, by position. */
  private readonly awaitingAgent = new Map<number, Release>();

  constructor(
    readonly record: JobRecord,
    devices: DeviceSet,
    status: Uint8Array,
    private readonly deps: RunDependencies<JobRun>,
    resumeAt: number,
    times?: Uint32Array,
  ) {
    const { spec } = record;
    this.release = releasePolicyOf(spec.release);
    this.releaseTimer = new ReleaseTimer(deps.timers, record.id, deps.gate);
    this.abort = abortPolicyOf(spec.abort);
    this.state = new RunDeviceState(devices, status, times, (spec.retry?.length ?? 0) > 0);
    this.simulated = new SimulatedAttempts(deps, record, this.state, {
      live: () => !this.abandoned,
      guarded: (step) => this.guarded(step),
      crashed: (error) => this.deps.crashed(this, error),
      inFlight: (delta) => (this.inFlightCount += delta),
      answered: (position, byte, release) => this.recordOutcome(position, byte, release),
      applied: () => this.deps.checkpoint(this, false),
      drained: () => this.advance(),
    });
    this.releasedCount = resumeAt;
    for (const byte of status) this.outcomes.count(byte);
  }

  get total(): number {
    return this.state.devices.size;
  }

  get devices(): DeviceSet {
    return this.state.devices;
  }

  /** The status byte of each device, by position (read-only for everyone but the run; see setStatus). */
  get status(): Uint8Array {
    return this.state.status;
  }

  get times(): Uint32Array {
    return this.state.times;
  }

  get released(): number {
    return this.releasedCount;
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  get isAbandoned(): boolean {
    return this.abandoned;
  }

  /** What changed since the last call, for a checkpoint to write; from now on it counts as written. */
  takeChanges(): DeviceChanges {
    return this.state.takeChanges();
  }

  /** A checkpoint could not write `changes`: the next one writes them again. */
  keepChanges(changes: DeviceChanges): void {
    this.state.keepChanges(changes);
  }

  /** Sets a device's status byte whatever it was (the service removed a finished execution). */
  setStatus(position: number, byte: number): void {
    this.state.set(position, byte);
  }

  /** Stops applying outcomes, for a reset or a snapshot import that replaces the job. */
  abandon(): void {
    this.abandoned = true;
    this.releaseTimer.cancel();
  }

  /** Abandons the devices in flight too (a forced cancel): nothing is waited for any more. */
  forceStop(): void {
    this.abandon();
    this.inFlightCount = 0;
  }

  /** Starts whatever the release policy allows now, and arms a timer for a later release; call again on resume. */
  advance(): void {
    this.guarded(() => this.advanceNow());
  }

  /** Anything a run's own step throws ends the run as crashed (the job fails with the reason), never the process. */
  private guarded(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (this.abandoned || this.crashed) return;
      this.crashed = true;
      this.releaseTimer.cancel();
      this.deps.crashed(this, error);
    }
  }

  private advanceNow(): void {
    if (this.abandoned) return;
    if (this.record.status !== 'running') {
      this.releaseTimer.cancel();
      if (this.inFlightCount === 0) this.deps.settled(this);
      return;
    }
    while (!this.releaseTimer.armed) {
      const now = this.deps.clock.now();
      if (this.releasedCount < this.total && this.releaseTimer.waitForOpening(now, () => this.advance())) return;
      const next = this.release.next({ total: this.total, released: this.releasedCount, inFlight: this.inFlightCount, now, succeeded: this.record.completed });
      if (next === 'afterInFlight') return;
      if (next === 'done') {
        if (this.inFlightCount === 0) this.deps.settled(this);
        return;
      }
      const { count, at } = next;
      if (at > now) {
        // Guarded like every other step: a timer's release runs later, outside the step that armed it, and a throw there
        // (a target device deleted meanwhile) would otherwise end the process from the simulation clock.
        this.releaseTimer.arm(at, () =>
          this.guarded(() => {
            // A release that falls outside a window is asked for again when the next window opens.
            if (!this.abandoned && this.record.status === 'running' && !this.releaseTimer.closedAt(at)) this.startRelease(count);
            this.advanceNow();
          }),
        );
        return;
      }
      this.startRelease(count);
    }
  }

  /** Starts the next `count` devices; only those still pending are attempted (after a restart, some are done). */
  private startRelease(count: number): void {
    const start = this.releasedCount;
    const end = Math.min(this.total, start + count);
    this.releasedCount = end;
    // After a restart a release may hold devices already resolved; its earlier failures still count toward a threshold.
    this.current = { size: end - start, failed: 0 };
    const positions: number[] = [];
    for (let p = start; p < end; p++) {
      if (this.status[p] === DEVICE_PENDING) positions.push(p);
      else if (isFailure(this.status[p]!)) this.current.failed++;
    }
    this.deps.checkpoint(this, true);
    if (positions.length === 0) return;
    const now = this.tick();
    for (const p of positions) this.state.started(p, now);
    const slices = positions.length === end - start ? this.devices.range(start, end) : [{ ids: positions.map((p) => this.devices.idAt(p)) }];
    const external = this.deps.behaviorFor(slices).external;
    if (!external?.includes(1)) return this.simulated.attempt(positions, slices, this.current);
    const simulated = positions.filter((p, i) => {
      if (external[i] !== 1) return true;
      this.awaitingAgent.set(p, this.current);
      this.inFlightCount++;
      return false;
    });
    if (simulated.length < positions.length) this.deps.externalReleased?.(this, positions.filter((_p, i) => external[i] === 1).map((p) => this.devices.idAt(p)));
    if (simulated.length > 0) this.simulated.attempt(simulated, [{ ids: simulated.map((p) => this.devices.idAt(p)) }], this.current);
  }

  private tick(): number {
    return tickAt(this.deps.clock.now(), this.record.start ?? 0);
  }

  /** Simulated ms at which the device was first started and last updated, if it was. */
  deviceTimes(position: number): { startedAt?: number; updatedAt?: number } {
    return this.state.timesOf(position, this.record.start ?? 0);
  }

  attemptsOf(position: number): number {
    return this.state.attemptsOf(position);
  }

  isAwaitingAgent(position: number): boolean {
    return this.awaitingAgent.has(position);
  }

  /** An external device's agent reported a terminal outcome; `error`, when given, is shown instead of the byte's reason. */
  reportExternal(position: number, byte: number, error?: string): void {
    const release = this.awaitingAgent.get(position);
    if (!release) return;
    this.awaitingAgent.delete(position);
    this.inFlightCount--;
    if (error !== undefined && byte !== DEVICE_COMPLETED) this.record.deviceErrors = { ...this.record.deviceErrors, [this.devices.idAt(position)]: error };
    this.recordOutcome(position, byte, release);
    this.deps.checkpoint(this, false);
    if (this.inFlightCount === 0) this.advance();
  }

  /**
   * Resolves a device with a state the service sets (canceled, removed): a pending device never starts; an in-flight
   * one's eventual answer is ignored. Returns false when the device already had a terminal status.
   */
  resolveByService(position: number, byte: number): boolean {
    if (this.status[position] !== DEVICE_PENDING) return false;
    this.state.resolve(position, byte, this.tick());
    if (this.awaitingAgent.delete(position)) this.inFlightCount--;
    this.deps.checkpoint(this, true);
    if (this.inFlightCount === 0) this.advance();
    return true;
  }

  /** Releases no more devices; the job completes once those in flight have answered (its end time's stopReleasing). */
  stopReleasing(): void {
    this.releasedCount = this.total;
    this.record.releaseStopped = true;
    this.releaseTimer.cancel();
    if (this.inFlightCount === 0) this.advance();
  }

  /** Adds devices at the end of the job's targets (the targets of a job that grows with them grew); they are released by the policy. */
  extend(slices: DeviceSlice[]): void {
    this.state.extend(slices);
    this.record.total = this.state.devices.size;
    this.deps.checkpoint(this, true);
    this.advance();
  }

  /** Whether the device is one of the job's targets. */
  targets(id: string): boolean {
    return this.state.includes(id);
  }

  private recordOutcome(position: number, byte: number, release: Release): void {
    // The service canceled or removed the device while it was in flight: its answer no longer counts.
    if (this.status[position] !== DEVICE_PENDING) return;
    this.state.resolve(position, byte, this.tick());
    this.outcomes.count(byte);
    if (byte === DEVICE_COMPLETED) {
      this.record.completed++;
      return;
    }
    this.record.failed++;
    release.failed++;
    const abortable = this.record.status === 'running' || this.record.status === 'stopped';
    const state = { total: this.total, failed: this.record.failed, waveSize: release.size, waveFailed: release.failed, executed: this.outcomes.executed, failedByKind: this.outcomes.byKind };
    if (abortable && this.abort.shouldAbort(state)) {
      this.record.status = 'cancelled';
      this.releaseTimer.cancel();
      this.deps.checkpoint(this, true);
    }
  }
}
