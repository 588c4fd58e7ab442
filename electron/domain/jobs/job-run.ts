import type { BehaviorRecord } from '../../store/records.js';
import type { DeviceSlice, FleetExecutor, OperationKind, OperationOutcomes } from '../fleet-executor.js';
import type { Cancel, SimulationClock } from '../simulation-clock.js';
import { abortCriteria, cancellationThreshold, type AbortPolicy, type FailureType } from './abort-policy.js';
import type { DeviceSet } from './device-set.js';
import { DEVICE_COMPLETED, DEVICE_PENDING, failureTypeOf, type JobRecord } from './job-model.js';
import { OutcomeTimeline } from './outcome-timeline.js';
import { rateLimited, sequentialBatches, type ReleasePolicy } from './release-policy.js';

export interface DeviceBehaviors {
  profiles: BehaviorRecord[];
  profileIndex?: Uint16Array;
  connectivity?: Int8Array;
}

export interface RunDependencies {
  clock: SimulationClock;
  executor: FleetExecutor;
  behaviorFor(slices: DeviceSlice[]): DeviceBehaviors;
  seed(): number;
  /** Persist progress (throttled by the caller); `urgent` at release boundaries and at the end. */
  checkpoint(run: JobRun, urgent: boolean): void;
  /** The run has nothing in flight and nothing more to release in its current status. */
  settled(run: JobRun): void;
  /** The run hit an error it cannot recover from (the executor failed). */
  crashed(run: JobRun, error: unknown): void;
}

/** Operation types that reach a simulated device, and how; the others resolve without a device round-trip. */
const SIMULATED_KINDS: Record<string, OperationKind> = { property: 'property', command: 'command', document: 'command' };

/** Devices started together (an IoT Central batch, or one minute of an AWS rollout). */
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
  released: number;
  inFlight = 0;
  private readonly failedByType: Record<FailureType, number> = { FAILED: 0, REJECTED: 0, TIMED_OUT: 0 };
  private executed = 0;
  private current: Release = { size: 0, failed: 0 };
  private releaseTimer: Cancel | undefined;
  private readonly attempts: Uint8Array | undefined;
  private abandoned = false;

  constructor(
    readonly record: JobRecord,
    readonly devices: DeviceSet,
    readonly status: Uint8Array,
    private readonly deps: RunDependencies,
    resumeAt: number,
  ) {
    const { definition } = record;
    this.release = definition.rollout ? rateLimited(definition.rollout) : sequentialBatches(definition.batch);
    this.abort = definition.abortCriteria ? abortCriteria(definition.abortCriteria) : cancellationThreshold(definition.cancellationThreshold);
    this.attempts = definition.retries?.length ? new Uint8Array(status.length) : undefined;
    this.released = resumeAt;
    for (const byte of status) {
      const type = failureTypeOf(byte);
      if (type) this.failedByType[type]++;
      if (byte !== DEVICE_PENDING) this.executed++;
    }
  }

  get total(): number {
    return this.devices.size;
  }

  /** Stops applying outcomes, for a reset or a snapshot import that replaces the job. */
  abandon(): void {
    this.abandoned = true;
    this.releaseTimer?.();
  }

  /** Starts whatever the release policy allows now, and arms a timer for a later release; call again on resume. */
  advance(): void {
    if (this.abandoned) return;
    if (this.record.status !== 'running') {
      this.cancelReleaseTimer();
      if (this.inFlight === 0) this.deps.settled(this);
      return;
    }
    while (!this.releaseTimer) {
      const now = this.deps.clock.now();
      const next = this.release.next({ total: this.total, released: this.released, inFlight: this.inFlight, now, succeeded: this.record.completed });
      if (next === 'afterInFlight') return;
      if (next === 'done') {
        if (this.inFlight === 0) this.deps.settled(this);
        return;
      }
      const { count, at } = next;
      if (at > now) {
        this.releaseTimer = this.deps.clock.schedule(at, 'work', () => {
          this.releaseTimer = undefined;
          if (this.abandoned || this.record.status !== 'running') return this.advance();
          this.startRelease(count);
          this.advance();
        });
        return;
      }
      this.startRelease(count);
    }
  }

  private cancelReleaseTimer(): void {
    this.releaseTimer?.();
    this.releaseTimer = undefined;
  }

  /** Starts the next `count` devices; only those still pending are attempted (after a restart, some are done). */
  private startRelease(count: number): void {
    const start = this.released;
    const end = Math.min(this.total, start + count);
    this.released = end;
    // After a restart a release may hold devices already resolved; its earlier failures still count toward a threshold.
    this.current = { size: end - start, failed: 0 };
    const positions: number[] = [];
    for (let p = start; p < end; p++) {
      if (this.status[p] === DEVICE_PENDING) positions.push(p);
      else if (failureTypeOf(this.status[p]!)) this.current.failed++;
    }
    this.deps.checkpoint(this, true);
    if (positions.length === 0) return;
    const slices = positions.length === end - start ? this.devices.range(start, end) : [{ ids: positions.map((p) => this.devices.idAt(p)) }];
    this.attempt(positions, slices, this.current, 0);
  }

  private attempt(positions: number[], slices: DeviceSlice[], release: Release, retry: number): void {
    this.inFlight += positions.length;
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
    const kinds = this.record.definition.data.map((op) => SIMULATED_KINDS[op.type] ?? 'cloudProperty');
    const results = await Promise.all(kinds.map((kind, index) => this.executeOperation(kind, index, slices, count, retry)));
    const timeoutMinutes = this.record.definition.inProgressTimeoutMinutes;
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
    this.deps.clock.schedule(startedAt + timeline.nextLatency(), 'work', () => {
      if (this.abandoned) return;
      const retries: number[] = [];
      timeline.takeUntil(this.deps.clock.now() - startedAt, (index, byte) => {
        const position = positions[index]!;
        this.inFlight--;
        if (this.shouldRetry(position, byte)) retries.push(position);
        else this.recordOutcome(position, byte, release);
      });
      if (retries.length > 0) this.retry(retries, release);
      this.deps.checkpoint(this, false);
      this.scheduleNext(timeline, positions, release, startedAt);
    });
  }

  private shouldRetry(position: number, byte: number): boolean {
    const type = failureTypeOf(byte);
    if (!this.attempts || !type || type === 'REJECTED') return false;
    const allowed = this.record.definition.retries!.reduce(
      (max, { failureType, numberOfRetries }) => (failureType === 'ALL' || failureType === type ? Math.max(max, numberOfRetries) : max),
      0,
    );
    if (this.attempts[position]! >= allowed) return false;
    this.attempts[position]!++;
    return true;
  }

  private retry(positions: number[], release: Release): void {
    const byAttempt = new Map<number, number[]>();
    for (const p of positions) byAttempt.set(this.attempts![p]!, [...(byAttempt.get(this.attempts![p]!) ?? []), p]);
    for (const [attempt, group] of byAttempt) this.attempt(group, [{ ids: group.map((p) => this.devices.idAt(p)) }], release, attempt);
  }

  private recordOutcome(position: number, byte: number, release: Release): void {
    this.status[position] = byte;
    this.executed++;
    if (byte === DEVICE_COMPLETED) {
      this.record.completed++;
      return;
    }
    this.record.failed++;
    release.failed++;
    const type = failureTypeOf(byte);
    if (type) this.failedByType[type]++;
    const abortable = this.record.status === 'running' || this.record.status === 'stopped';
    const state = { total: this.total, failed: this.record.failed, waveSize: release.size, waveFailed: release.failed, executed: this.executed, failedByType: this.failedByType };
    if (abortable && this.abort.shouldAbort(state)) {
      this.record.status = 'cancelled';
      this.cancelReleaseTimer();
      this.deps.checkpoint(this, true);
    }
  }
}
