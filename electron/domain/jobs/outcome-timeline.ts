import { OUTCOME, type OperationKind, type OperationOutcomes } from '../fleet-executor.js';
import { DEVICE_COMPLETED, DOWNLOAD_EXPIRED, DOWNLOAD_FAILED, FAILED_BASE, IN_PROGRESS_TIMEOUT } from './job-model.js';

const COMMAND_REJECTED = FAILED_BASE + 2;

/** The status byte of each failed outcome of a command; a property write is rejected or not acknowledged. */
const COMMAND_FAILURES: Record<number, number> = {
  [OUTCOME.rejected]: COMMAND_REJECTED,
  [OUTCOME.timedOut]: FAILED_BASE + 3,
  [OUTCOME.downloadFailed]: DOWNLOAD_FAILED,
  [OUTCOME.downloadExpired]: DOWNLOAD_EXPIRED,
};

/** Status byte a device ends with for an outcome of an operation of this kind. */
function statusByteFor(kind: OperationKind, outcome: number): number {
  if (outcome === OUTCOME.succeeded || kind === 'cloudProperty') return DEVICE_COMPLETED;
  if (kind === 'property') return FAILED_BASE + (outcome === OUTCOME.timedOut ? 1 : 0);
  return COMMAND_FAILURES[outcome] ?? COMMAND_REJECTED;
}

/**
 * Merges the outcomes of a job's operations per device (a device fails on its first failing operation and
 * answers when its slowest operation does), then orders the devices by answer time.
 */
export class OutcomeTimeline {
  readonly statusBytes: Uint8Array;
  readonly latency: Uint32Array;
  /** Device indices by answer time, ties in index order. */
  private readonly order: Uint32Array;
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
    this.order = orderByLatency(this.latency);
  }

  get done(): boolean {
    return this.cursor >= this.order.length;
  }

  /** Latency (ms after the release) of the next device to answer. */
  nextLatency(): number {
    return this.latency[this.order[this.cursor]!]!;
  }

  /** Calls `visit` for every device that has answered by `elapsedMs`, in answer order. */
  takeUntil(elapsedMs: number, visit: (index: number, statusByte: number) => boolean | void): void {
    while (this.cursor < this.order.length) {
      const index = this.order[this.cursor]!;
      if (this.latency[index]! > elapsedMs) return;
      this.cursor++;
      visit(index, this.statusBytes[index]!);
    }
  }
}

/**
 * Indices sorted by latency, stable (ties keep index order): a least-significant-digit radix sort on 16-bit digits,
 * linear in the count. Packing latency and index into one float key, as before, caps the count at 2^53 / 2^32 devices.
 */
function orderByLatency(latency: Uint32Array): Uint32Array {
  let order = new Uint32Array(latency.length);
  let max = 0;
  for (let i = 0; i < latency.length; i++) {
    order[i] = i;
    if (latency[i]! > max) max = latency[i]!;
  }
  let spare = new Uint32Array(latency.length);
  for (let shift = 0; shift < 32 && max >>> shift > 0; shift += 16) {
    const counts = new Uint32Array(65_537);
    for (let i = 0; i < order.length; i++) counts[((latency[order[i]!]! >>> shift) & 0xffff) + 1]!++;
    for (let d = 1; d < counts.length; d++) counts[d]! += counts[d - 1]!;
    for (let i = 0; i < order.length; i++) {
      const index = order[i]!;
      spare[counts[(latency[index]! >>> shift) & 0xffff]!++] = index;
    }
    [order, spare] = [spare, order];
  }
  return order;
}
