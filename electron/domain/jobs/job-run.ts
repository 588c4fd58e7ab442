import type { BehaviorRecord } from '../../store/records.js';
import { DirtyBlocks } from '../../store/dirty-blocks.js';
import type { DeviceChanges } from '../../store/job-files.js';
import type { DeviceSlice, FleetExecutor, OperationKind, OperationOutcomes } from '../fleet-executor.js';
import type { ClockTimers } from '../clock-timers.js';
import type { SimulationClock } from '../simulation-clock.js';
import { abortPolicyOf, type AbortPolicy } from './abort-policy.js';
import { DEVICE_COMPLETED, DEVICE_PENDING, failureKindOf, isFailure, type JobRecord } from './job-model.js';
import type { FailureKind, OperationKind as SpecOperationKind } from './job-spec.js';
import { DeviceSet } from './device-set.js';
import { OutcomeTimeline } from './outcome-timeline.js';
import { deviceTimesAt, tickBase, TICK_MS } from './job-device-index.js';
import { releasePolicyOf, type ReleasePolicy } from './release-policy.js';

export interface DeviceBehaviors {
  profiles: BehaviorRecord[];
  profileIndex?: Uint16Array;
  connectivity?: Int8Array;
  /** 1 for a device a real agent drives (it reports its outcome itself) instead of the simulator. */
  external?: Uint8Array;
}

/** Earliest simulated time at or after `now` when devices may be released (recurring windows). */
export type ReleaseGate = (now: number) => number;

export interface RunDependencies {
  clock: SimulationClock;
  /** Where the run's release timer is armed, under the job's id. */
  timers: ClockTimers;
  executor: FleetExecutor;
  behaviorFor(slices: DeviceSlice[]): DeviceBehaviors;
  seed(): number;
  /** Persist progress (throttled by the caller); `urgent` at release boundaries and at the end. */
  checkpoint(run: JobRun, urgent: boolean): void;
  /** The run has nothing in flight and nothing more to release in its current status. */
  settled(run: JobRun): void;
  /** The run hit an error it cannot recover from (the executor failed). */
  crashed(run: JobRun, error: unknown): void;
  gate?: ReleaseGate;
}

/** Operation types that reach a simulated device, and how; the others resolve without a device round-trip. */
const SIMULATED_KINDS: Partial<Record<SpecOperationKind, OperationKind>> = { property: 'property', command: 'command', document: 'command' };

/** Devices started together (a batch, or one minute of a rate-based release). */
interface Release {
  size: number;
  failed: number;
}

/**
 * One job's execution: releases devices as its release policy allows, applies their outcomes on the clock (with the
 * in-progress timeout and retries per failure type), and cancels the job when its abort policy says so.
 */
export class JobRun {
  readonly release: ReleasePolicy;
  readonly abort: AbortPolicy;
  /** Devices released so far: positions [0, released) were started at least once. */
  private releasedCount: number;
  private inFlightCount = 0;
  private readonly failedByKind: Record<FailureKind, number> = { failed: 0, rejected: 0, timedOut: 0 };
  private executed = 0;
  private current: Release = { size: 0, failed: 0 };
  private attempts: Uint8Array | undefined;
  private abandoned = false;
  private crashed = false;
  /** Blocks of status bytes and times changed since the last checkpoint took them. */
  private readonly changed = new DirtyBlocks();

  /** Per device: [startedAt, updatedAt] ticks (see TICK_MS). */
  private deviceTicks: Uint32Array;
  /** Released external devices awaiting their agent's answer, by position. */
  private readonly awaitingAgent = new Map<number, Release>();

  constructor(
    readonly record: JobRecord,
    private targets: DeviceSet,
    private statusBytes: Uint8Array,
    private readonly deps: RunDependencies,
    resumeAt: number,
    times?: Uint32Array,
  ) {
    const { spec } = record;
    this.release = releasePolicyOf(spec.release);
    this.abort = abortPolicyOf(spec.abort);
    this.attempts = spec.retry?.length ? new Uint8Array(this.statusBytes.length) : undefined;
    this.deviceTicks = times && times.length === this.statusBytes.length * 2 ? times : new Uint32Array(this.statusBytes.length * 2);
    this.releasedCount = resumeAt;
    for (const byte of this.statusBytes) {
      const kind = failureKindOf(byte);
      if (kind) this.failedByKind[kind]++;
      if (byte === DEVICE_COMPLETED || kind) this.executed++;
    }
  }

  get total(): number {
    return this.targets.size;
  }

  get devices(): DeviceSet {
    return this.targets;
  }

  /** The status byte of each device, by position (read-only for everyone but the run; see setStatus). */
  get status(): Uint8Array {
    return this.statusBytes;
  }

  get times(): Uint32Array {
    return this.deviceTicks;
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
    return { devices: this.total, status: this.status, times: this.times, blocks: this.changed.take() };
  }

  /** A checkpoint could not write `changes`: the next one writes them again. */
  keepChanges(changes: DeviceChanges): void {
    this.changed.markBlocks(changes.blocks);
  }

  /** Sets a device's status byte whatever it was (the service removed a finished execution). */
  setStatus(position: number, byte: number): void {
    this.statusBytes[position] = byte;
    this.changed.markDevice(position);
  }

  /** Stops applying outcomes, for a reset or a snapshot import that replaces the job. */
  abandon(): void {
    this.abandoned = true;
    this.cancelReleaseTimer();
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
      this.cancelReleaseTimer();
      this.deps.crashed(this, error);
    }
  }

  private advanceNow(): void {
    if (this.abandoned) return;
    if (this.record.status !== 'running') {
      this.cancelReleaseTimer();
      if (this.inFlightCount === 0) this.deps.settled(this);
      return;
    }
    while (!this.hasReleaseTimer()) {
      const now = this.deps.clock.now();
      if (this.releasedCount < this.total && this.waitForGate(now)) return;
      const next = this.release.next({ total: this.total, released: this.releasedCount, inFlight: this.inFlightCount, now, succeeded: this.record.completed });
      if (next === 'afterInFlight') return;
      if (next === 'done') {
        if (this.inFlightCount === 0) this.deps.settled(this);
        return;
      }
      const { count, at } = next;
      if (at > now) {
        this.armRelease(at, () => {
          // A release that falls outside a window is asked for again when the next window opens.
          if (!this.abandoned && this.record.status === 'running' && !this.gateClosed(at)) this.startRelease(count);
          this.advance();
        });
        return;
      }
      this.startRelease(count);
    }
  }

  private gateClosed(now: number): boolean {
    return this.deps.gate !== undefined && this.deps.gate(now) > now;
  }

  /** Outside every window, waits for the next one to open (forever when none will). */
  private waitForGate(now: number): boolean {
    if (!this.gateClosed(now)) return false;
    const opens = this.deps.gate!(now);
    if (Number.isFinite(opens)) this.armRelease(opens, () => this.advance());
    return true;
  }

  private hasReleaseTimer(): boolean {
    return this.deps.timers.has(this.record.id, 'release');
  }

  private armRelease(at: number, run: () => void): void {
    this.deps.timers.set(this.record.id, 'release', at, 'work', run);
  }

  private cancelReleaseTimer(): void {
    this.deps.timers.cancel(this.record.id, 'release');
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
      if (this.statusBytes[p] === DEVICE_PENDING) positions.push(p);
      else if (isFailure(this.statusBytes[p]!)) this.current.failed++;
    }
    this.deps.checkpoint(this, true);
    if (positions.length === 0) return;
    const now = this.tick();
    for (const p of positions) {
      if (this.deviceTicks[2 * p] !== 0) continue;
      this.deviceTicks[2 * p] = now;
      this.changed.markDevice(p);
    }
    const slices = positions.length === end - start ? this.targets.range(start, end) : [{ ids: positions.map((p) => this.targets.idAt(p)) }];
    const external = this.deps.behaviorFor(slices).external;
    if (!external?.includes(1)) return this.attempt(positions, slices, this.current, 0);
    const simulated = positions.filter((p, i) => {
      if (external[i] !== 1) return true;
      this.awaitingAgent.set(p, this.current);
      this.inFlightCount++;
      return false;
    });
    if (simulated.length > 0) this.attempt(simulated, [{ ids: simulated.map((p) => this.targets.idAt(p)) }], this.current, 0);
  }

  private tick(): number {
    return Math.floor((this.deps.clock.now() - tickBase(this.record.start ?? 0)) / TICK_MS) + 1;
  }

  /** Simulated ms at which the device was first started and last updated, if it was. */
  deviceTimes(position: number): { startedAt?: number; updatedAt?: number } {
    return deviceTimesAt(this.deviceTicks, this.record.start ?? 0, position);
  }

  attemptsOf(position: number): number {
    return this.attempts?.[position] ?? 0;
  }

  isAwaitingAgent(position: number): boolean {
    return this.awaitingAgent.has(position);
  }

  /** An external device's agent reported a terminal outcome. */
  reportExternal(position: number, byte: number): void {
    const release = this.awaitingAgent.get(position);
    if (!release) return;
    this.awaitingAgent.delete(position);
    this.inFlightCount--;
    this.recordOutcome(position, byte, release);
    this.deps.checkpoint(this, false);
    if (this.inFlightCount === 0) this.advance();
  }

  /**
   * Resolves a device with a state the service sets (canceled, removed): a pending device never starts; an in-flight
   * one's eventual answer is ignored. Returns false when the device already had a terminal status.
   */
  resolveByService(position: number, byte: number): boolean {
    if (this.statusBytes[position] !== DEVICE_PENDING) return false;
    this.statusBytes[position] = byte;
    this.deviceTicks[2 * position + 1] = this.tick();
    this.changed.markDevice(position);
    if (this.awaitingAgent.delete(position)) this.inFlightCount--;
    this.deps.checkpoint(this, true);
    if (this.inFlightCount === 0) this.advance();
    return true;
  }

  /** Releases no more devices; the job completes once those in flight have answered (its end time's stopReleasing). */
  stopReleasing(): void {
    this.releasedCount = this.total;
    this.record.releaseStopped = true;
    this.cancelReleaseTimer();
    if (this.inFlightCount === 0) this.advance();
  }

  /** Adds devices at the end of the job's targets (a continuous job's group grew); they are released by the policy. */
  extend(slices: DeviceSlice[]): void {
    const devices = new DeviceSet([...this.targets.slices, ...slices]);
    const grow = <T extends Uint8Array | Uint32Array>(array: T, length: number): T => {
      const next = new (array.constructor as new (n: number) => T)(length);
      next.set(array);
      return next;
    };
    this.statusBytes = grow(this.statusBytes, devices.size);
    this.deviceTicks = grow(this.deviceTicks, devices.size * 2);
    if (this.attempts) this.attempts = grow(this.attempts, devices.size);
    this.targets = devices;
    this.record.total = devices.size;
    this.deps.checkpoint(this, true);
    this.advance();
  }

  private attempt(positions: number[], slices: DeviceSlice[], release: Release, retry: number): void {
    this.inFlightCount += positions.length;
    const startedAt = this.deps.clock.now();
    const done = this.deps.clock.hold();
    this.execute(slices, positions.length, retry)
      .then(
        (timeline) => this.scheduleNext(timeline, positions, release, startedAt),
        (error: unknown) => this.deps.crashed(this, error),
      )
      .finally(done);
  }

  private async execute(slices: DeviceSlice[], count: number, retry: number): Promise<OutcomeTimeline> {
    const kinds = this.record.spec.operations.map((op) => SIMULATED_KINDS[op.kind] ?? 'cloudProperty');
    const results = await Promise.all(kinds.map((kind, index) => this.executeOperation(kind, index, slices, count, retry)));
    const timeoutMinutes = this.record.spec.inProgressTimeoutMinutes;
    return new OutcomeTimeline(kinds, results, count, timeoutMinutes === undefined ? Infinity : timeoutMinutes * 60_000);
  }

  /** One operation on every device given, a simulator request per slice, outcomes concatenated in order. */
  private async executeOperation(kind: OperationKind, index: number, slices: DeviceSlice[], count: number, retry: number): Promise<OperationOutcomes> {
    const merged = { outcome: new Uint8Array(count), latencyMs: new Uint32Array(count) };
    if (kind === 'cloudProperty') return merged;
    const salt = retry === 0 ? `${this.record.id}/${index}` : `${this.record.id}/${index}/retry-${retry}`;
    const parts = await Promise.all(
      slices.map((devices) => this.deps.executor.execute({ seed: this.deps.seed(), salt, kind, devices, ...this.deps.behaviorFor([devices]) })),
    );
    let offset = 0;
    for (const part of parts) {
      merged.outcome.set(part.outcome, offset);
      merged.latencyMs.set(part.latencyMs, offset);
      offset += part.outcome.length;
    }
    return merged;
  }

  private scheduleNext(timeline: OutcomeTimeline, positions: number[], release: Release, startedAt: number): void {
    if (this.abandoned) return;
    if (timeline.done) return this.advance();
    this.deps.clock.schedule(startedAt + timeline.nextLatency(), 'work', () => this.guarded(() => {
      if (this.abandoned) return;
      const retries: number[] = [];
      timeline.takeUntil(this.deps.clock.now() - startedAt, (index, byte) => {
        const position = positions[index]!;
        this.inFlightCount--;
        if (this.shouldRetry(position, byte)) retries.push(position);
        else this.recordOutcome(position, byte, release);
      });
      if (retries.length > 0) this.retry(retries, release);
      this.deps.checkpoint(this, false);
      this.scheduleNext(timeline, positions, release, startedAt);
    }));
  }

  private shouldRetry(position: number, byte: number): boolean {
    const kind = failureKindOf(byte);
    if (!this.attempts || !kind || kind === 'rejected' || this.statusBytes[position] !== DEVICE_PENDING) return false;
    const allowed = (this.record.spec.retry ?? []).reduce((max, { failure, retries }) => (failure === 'any' || failure === kind ? Math.max(max, retries) : max), 0);
    if (this.attempts[position]! >= allowed) return false;
    this.attempts[position]!++;
    return true;
  }

  private retry(positions: number[], release: Release): void {
    const byAttempt = new Map<number, number[]>();
    for (const p of positions) byAttempt.set(this.attempts![p]!, [...(byAttempt.get(this.attempts![p]!) ?? []), p]);
    for (const [attempt, group] of byAttempt) this.attempt(group, [{ ids: group.map((p) => this.targets.idAt(p)) }], release, attempt);
  }

  private recordOutcome(position: number, byte: number, release: Release): void {
    // The service canceled or removed the device while it was in flight: its answer no longer counts.
    if (this.statusBytes[position] !== DEVICE_PENDING) return;
    this.statusBytes[position] = byte;
    this.deviceTicks[2 * position + 1] = this.tick();
    this.changed.markDevice(position);
    this.executed++;
    if (byte === DEVICE_COMPLETED) {
      this.record.completed++;
      return;
    }
    this.record.failed++;
    release.failed++;
    const kind = failureKindOf(byte);
    if (kind) this.failedByKind[kind]++;
    const abortable = this.record.status === 'running' || this.record.status === 'stopped';
    const state = { total: this.total, failed: this.record.failed, waveSize: release.size, waveFailed: release.failed, executed: this.executed, failedByKind: this.failedByKind };
    if (abortable && this.abort.shouldAbort(state)) {
      this.record.status = 'cancelled';
      this.cancelReleaseTimer();
      this.deps.checkpoint(this, true);
    }
  }
}
