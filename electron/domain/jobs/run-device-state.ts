import { DirtyBlocks } from '../../store/dirty-blocks.js';
import type { DeviceChanges } from '../../store/job-files.js';
import type { DeviceSlice } from '../fleet-executor.js';
import type { DeviceSet } from './device-set.js';
import { deviceTimesAt, tickBase, TICK_MS } from './device-times.js';
import { TargetAppend } from './target-append.js';

/**
 * A run's per-device state: the targets, one status byte and [startedAt, updatedAt] ticks (see TICK_MS) per device,
 * retry attempts when the job retries, and which blocks changed since the last checkpoint took them.
 */
export class RunDeviceState {
  private readonly changed = new DirtyBlocks();
  private attempts: Uint8Array | undefined;
  private ticks: Uint32Array;
  /** Set once devices are appended to the running job. */
  private growth: TargetAppend | undefined;

  constructor(
    private targets: DeviceSet,
    private bytes: Uint8Array,
    times: Uint32Array | undefined,
    retries: boolean,
  ) {
    this.ticks = times && times.length === bytes.length * 2 ? times : new Uint32Array(bytes.length * 2);
    this.attempts = retries ? new Uint8Array(bytes.length) : undefined;
  }

  get devices(): DeviceSet {
    return this.targets;
  }

  get status(): Uint8Array {
    return this.bytes;
  }

  get times(): Uint32Array {
    return this.ticks;
  }

  get retries(): boolean {
    return this.attempts !== undefined;
  }

  set(position: number, byte: number): void {
    this.bytes[position] = byte;
    this.changed.markDevice(position);
  }

  /** Records the device's first start (later attempts keep it). */
  started(position: number, tick: number): void {
    if (this.ticks[2 * position] !== 0) return;
    this.ticks[2 * position] = tick;
    this.changed.markDevice(position);
  }

  /** Sets the device's status with the time it changed. */
  resolve(position: number, byte: number, tick: number): void {
    this.ticks[2 * position + 1] = tick;
    this.set(position, byte);
  }

  attemptsOf(position: number): number {
    return this.attempts?.[position] ?? 0;
  }

  countAttempt(position: number): void {
    if (this.attempts) this.attempts[position]!++;
  }

  /** Simulated ms at which the device was first started and last updated, if it was. */
  timesOf(position: number, jobStart: number): { startedAt?: number; updatedAt?: number } {
    return deviceTimesAt(this.ticks, jobStart, position);
  }

  /** Whether the device is one of the targets. */
  includes(id: string): boolean {
    return this.targets.positionOf(id) >= 0;
  }

  /** Devices added at the end of the targets, pending (amortised O(1) per device, see TargetAppend). */
  extend(slices: DeviceSlice[]): void {
    this.growth ??= new TargetAppend({ devices: this.targets, status: this.bytes, times: this.ticks, attempts: this.attempts });
    ({ devices: this.targets, status: this.bytes, times: this.ticks, attempts: this.attempts } = this.growth.append(slices));
  }

  /** What changed since the last call, for a checkpoint to write; from now on it counts as written. */
  takeChanges(): DeviceChanges {
    return { devices: this.targets.size, status: this.bytes, times: this.ticks, blocks: this.changed.take() };
  }

  /** A checkpoint could not write `changes`: the next one writes them again. */
  keepChanges(changes: DeviceChanges): void {
    this.changed.markBlocks(changes.blocks);
  }
}

/** The tick of simulated time `now` in a job that started at `jobStart`. */
export const tickAt = (now: number, jobStart: number) => Math.floor((now - tickBase(jobStart)) / TICK_MS) + 1;
