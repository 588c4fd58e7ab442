import { OUTCOME, type OperationKind, type OperationOutcomes } from '../fleet-executor.js';
import { DEVICE_COMPLETED, FAILED_BASE, IN_PROGRESS_TIMEOUT } from './job-model.js';

const POSITION_BITS = 2 ** 21;

/** Status byte a device ends with for an outcome of an operation of this kind. */
export function statusByteFor(kind: OperationKind, outcome: number): number {
  if (outcome === OUTCOME.succeeded || kind === 'cloudProperty') return DEVICE_COMPLETED;
  if (kind === 'property') return FAILED_BASE + (outcome === OUTCOME.rejected ? 0 : 1);
  return FAILED_BASE + (outcome === OUTCOME.rejected ? 2 : 3);
}

/**
 * Merges the outcomes of a job's operations per device (a device fails on its first failing operation and
 * answers when its slowest operation does), then orders the devices by answer time.
 */
export class OutcomeTimeline {
  readonly statusBytes: Uint8Array;
  readonly latency: Uint32Array;
  private readonly order: Float64Array;
  private cursor = 0;

  /** `timeoutMs`: a device still answering after this long fails as timed out, at that time. */
  constructor(kinds: readonly OperationKind[], results: readonly OperationOutcomes[], count: number, timeoutMs = Infinity) {
    this.statusBytes = new Uint8Array(count).fill(DEVICE_COMPLETED);
    this.latency = new Uint32Array(count);
    results.forEach((result, op) => {
      for (let i = 0; i < count; i++) {
        const byte = statusByteFor(kinds[op]!, result.outcome[i]!);
        if (this.statusBytes[i] === DEVICE_COMPLETED) this.statusBytes[i] = byte;
        this.latency[i] = Math.max(this.latency[i]!, result.latencyMs[i]!);
      }
    });
    for (let i = 0; i < count; i++) {
      if (this.latency[i]! > timeoutMs) {
        this.latency[i] = timeoutMs;
        this.statusBytes[i] = IN_PROGRESS_TIMEOUT;
      }
    }
    if (count > POSITION_BITS) throw new RangeError(`a release of ${count} devices is larger than a timeline can order`);
    this.order = new Float64Array(count);
    for (let i = 0; i < count; i++) this.order[i] = this.latency[i]! * POSITION_BITS + i;
    this.order.sort();
  }

  get done(): boolean {
    return this.cursor >= this.order.length;
  }

  /** Latency (ms after the release) of the next device to answer. */
  nextLatency(): number {
    return Math.floor(this.order[this.cursor]! / POSITION_BITS);
  }

  /** Calls `visit` for every device that has answered by `elapsedMs`, in answer order. */
  takeUntil(elapsedMs: number, visit: (index: number, statusByte: number) => boolean | void): void {
    while (this.cursor < this.order.length) {
      const key = this.order[this.cursor]!;
      if (Math.floor(key / POSITION_BITS) > elapsedMs) return;
      this.cursor++;
      const index = key % POSITION_BITS;
      visit(index, this.statusBytes[index]!);
    }
  }
}
