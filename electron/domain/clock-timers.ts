import type { Cancel, EventKind, SimulationClock } from './simulation-clock.js';

/**
 * Timers on the simulation clock, each named by its owner (a job, a schedule, an execution) and a name within it. Arming
 * a name again replaces its timer; a timer forgets itself when it fires; an owner's timers are cancelled together.
 */
export class ClockTimers {
  private readonly byOwner = new Map<string, Map<string, Cancel>>();

  constructor(private readonly clock: SimulationClock) {}

  /** Runs `run` at simulated time `at`, in place of the owner's earlier timer of that name. */
  set(owner: string, name: string, at: number, kind: EventKind, run: () => void): void {
    this.cancel(owner, name);
    let timers = this.byOwner.get(owner);
    if (!timers) this.byOwner.set(owner, (timers = new Map()));
    const armed = timers;
    const cancel = this.clock.schedule(at, kind, () => {
      if (armed.get(name) !== cancel) return;
      this.forget(owner, name);
      run();
    });
    armed.set(name, cancel);
  }

  has(owner: string, name: string): boolean {
    return this.byOwner.get(owner)?.has(name) ?? false;
  }

  /** Cancels one timer of the owner, or with no name all of them. */
  cancel(owner: string, name?: string): void {
    const timers = this.byOwner.get(owner);
    if (!timers) return;
    for (const [key, cancel] of timers) {
      if (name !== undefined && key !== name) continue;
      cancel();
      timers.delete(key);
    }
    if (timers.size === 0) this.byOwner.delete(owner);
  }

  cancelAll(): void {
    for (const owner of [...this.byOwner.keys()]) this.cancel(owner);
  }

  private forget(owner: string, name: string): void {
    const timers = this.byOwner.get(owner);
    timers?.delete(name);
    if (timers?.size === 0) this.byOwner.delete(owner);
  }
}
