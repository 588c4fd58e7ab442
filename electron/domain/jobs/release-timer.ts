import type { ClockTimers } from '../clock-timers.js';
import type { ReleaseGate } from './run-dependencies.js';

/** A run's one pending release on the clock, and the gate (recurring windows) that may hold releases back. */
export class ReleaseTimer {
  constructor(
    private readonly timers: ClockTimers,
    private readonly jobId: string,
    private readonly gate: ReleaseGate | undefined,
  ) {}

  get armed(): boolean {
    return this.timers.has(this.jobId, 'release');
  }

  arm(at: number, run: () => void): void {
    this.timers.set(this.jobId, 'release', at, 'work', run);
  }

  cancel(): void {
    this.timers.cancel(this.jobId, 'release');
  }

  /** Whether `now` falls outside every window. */
  closedAt(now: number): boolean {
    return this.gate !== undefined && this.gate(now) > now;
  }

  /** Outside every window, waits for the next one to open (forever when none will) and answers true. */
  waitForOpening(now: number, then: () => void): boolean {
    if (!this.gate || !this.closedAt(now)) return false;
    const opens = this.gate(now);
    if (Number.isFinite(opens)) this.arm(opens, then);
    return true;
  }
}
