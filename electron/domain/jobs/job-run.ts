import type { BehaviorRecord } from '../../store/records.js';
import type { DeviceSlice, FleetExecutor, OperationKind, OperationOutcomes } from '../fleet-executor.js';
import type { SimulationClock } from '../simulation-clock.js';
import { cancellationThreshold, type AbortPolicy } from './abort-policy.js';
import type { DeviceSet } from './device-set.js';
import { DEVICE_COMPLETED, DEVICE_PENDING, type JobRecord } from './job-model.js';
import { OutcomeTimeline } from './outcome-timeline.js';
import { sequentialBatches, type ReleasePolicy } from './release-policy.js';

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

const simulatedKinds: Record<string, OperationKind> = { property: 'property', command: 'command' };

/** One job's execution: releases devices per its release policy, applies outcomes on the clock, applies its abort policy. */
export class JobRun {
  readonly release: ReleasePolicy;
  readonly abort: AbortPolicy;
  /** Devices released so far; the current release started at `waveStart`. */
  released: number;
  waveStart: number;
  private waveSize = 0;
  private waveFailed = 0;
  inFlight = 0;
  private abandoned = false;

  constructor(
    readonly record: JobRecord,
    readonly devices: DeviceSet,
    readonly status: Uint8Array,
    private readonly deps: RunDependencies,
    resumeAt: number,
  ) {
    this.release = sequentialBatches(record.definition.batch);
    this.abort = cancellationThreshold(record.definition.cancellationThreshold);
    this.released = resumeAt;
    this.waveStart = resumeAt;
  }

  get total(): number {
    return this.devices.size;
  }

  /** Stops applying outcomes, for a reset or a snapshot import that replaces the job. */
  abandon(): void {
    this.abandoned = true;
  }

  /** Starts whatever the release policy allows now; call again when the run settles or is resumed. */
  advance(): void {
    if (this.abandoned) return;
    if (this.record.status !== 'running' || this.inFlight > 0) {
      if (this.inFlight === 0) this.deps.settled(this);
      return;
    }
    const next = this.release.next({ total: this.total, released: this.released, inFlight: this.inFlight, now: this.deps.clock.now() });
    if (next === 'done' || next === 'afterInFlight') {
      this.deps.settled(this);
      return;
    }
    void this.releaseWave(this.released, this.released + next.count).catch((error: unknown) => this.deps.crashed(this, error));
  }

  private async releaseWave(start: number, end: number): Promise<void> {
    this.waveStart = start;
    this.released = end;
    this.waveSize = end - start;
    this.waveFailed = 0;
    const positions = this.pendingPositions(start, end);
    this.deps.checkpoint(this, true);
    if (positions.length === 0) return this.advance();
    this.inFlight = positions.length;
    const slices = positions.length === end - start ? this.devices.range(start, end) : [{ ids: positions.map((p) => this.devices.idAt(p)) }];
    const startedAt = this.deps.clock.now();
    const timeline = await this.execute(slices, positions.length);
    this.scheduleNext(timeline, positions, startedAt);
  }

  private pendingPositions(start: number, end: number): number[] {
    const out: number[] = [];
    for (let p = start; p < end; p++) if (this.status[p] === DEVICE_PENDING) out.push(p);
    return out;
  }

  private async execute(slices: DeviceSlice[], count: number): Promise<OutcomeTimeline> {
    const kinds: OperationKind[] = this.record.definition.data.map((op) => simulatedKinds[op.type] ?? 'cloudProperty');
    const results = await Promise.all(kinds.map((kind, index) => this.executeOperation(kind, index, slices, count)));
    return new OutcomeTimeline(kinds, results, count);
  }

  /** One operation on every device of the release, a simulator request per slice, outcomes concatenated in order. */
  private async executeOperation(kind: OperationKind, index: number, slices: DeviceSlice[], count: number): Promise<OperationOutcomes> {
    const merged = { outcome: new Uint8Array(count), latencyMs: new Uint32Array(count) };
    if (kind === 'cloudProperty') return merged;
    const parts = await Promise.all(
      slices.map((devices) =>
        this.deps.executor.execute({ seed: this.deps.seed(), salt: `${this.record.id}/${index}`, kind, devices, ...this.deps.behaviorFor([devices]) }),
      ),
    );
    let offset = 0;
    for (const part of parts) {
      merged.outcome.set(part.outcome, offset);
      merged.latencyMs.set(part.latencyMs, offset);
      offset += part.outcome.length;
    }
    return merged;
  }

  private scheduleNext(timeline: OutcomeTimeline, positions: number[], startedAt: number): void {
    if (timeline.done) return this.waveResolved();
    this.deps.clock.schedule(startedAt + timeline.nextLatency(), 'work', () => {
      if (this.abandoned) return;
      timeline.takeUntil(this.deps.clock.now() - startedAt, (index, byte) => this.recordOutcome(positions[index]!, byte));
      this.deps.checkpoint(this, false);
      this.scheduleNext(timeline, positions, startedAt);
    });
  }

  private recordOutcome(position: number, byte: number): void {
    this.status[position] = byte;
    this.inFlight--;
    if (byte === DEVICE_COMPLETED) {
      this.record.completed++;
      return;
    }
    this.record.failed++;
    this.waveFailed++;
    const abortable = this.record.status === 'running' || this.record.status === 'stopped';
    if (abortable && this.abort.shouldAbort({ total: this.total, failed: this.record.failed, waveSize: this.waveSize, waveFailed: this.waveFailed })) {
      this.record.status = 'cancelled';
      this.deps.checkpoint(this, true);
    }
  }

  private waveResolved(): void {
    this.deps.checkpoint(this, true);
    this.advance();
  }
}
