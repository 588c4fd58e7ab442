import type { Clock } from './clock.js';

export type EventKind = 'work' | 'timer';

interface ScheduledEvent {
  at: number;
  seq: number;
  kind: EventKind;
  run: () => void;
  cancelled: boolean;
}

export interface Cancel {
  (): void;
}

/** Events to run before yielding to the event loop in virtual time, so HTTP stays responsive. */
const VIRTUAL_EVENTS_PER_TURN = 64;

/**
 * The engine's clock. With timeScale > 0, simulated time runs that many times faster than real time.
 * With timeScale 0 (virtual time), simulated time flows like real time while nothing is in flight, and jumps
 * straight to the next event while device operations ('work' events) are outstanding, so a long job finishes
 * as fast as the machine can compute it. `advance()` moves virtual time forward explicitly, like fake timers.
 */
export class SimulationClock implements Clock {
  private scale: number;
  private simBase: number;
  private realBase: number;
  private readonly queue: ScheduledEvent[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private draining = false;
  private closed = false;
  /** Outstanding device work: queued 'work' events plus holds (executor calls in progress). */
  private workEvents = 0;
  private holds = 0;
  /** Virtual time stands still while device work is outstanding, so that jumps land exactly on event times. */
  private frozen = false;

  /**
   * `onEventError` hears what a scheduled event threw: events run from the clock's own timers, where a throw would end
   * the process and stop the events due after it. Without one, the error is thrown on (tests see it).
   */
  constructor(
    timeScale: number,
    private readonly realNow: () => number = Date.now,
    private readonly onEventError: (error: unknown) => void = (error) => {
      throw error;
    },
  ) {
    this.scale = timeScale;
    this.realBase = realNow();
    this.simBase = this.realBase;
  }

  get timeScale(): number {
    return this.scale;
  }

  now(): number {
    if (this.scale === 0 && this.frozen) return this.simBase;
    const elapsed = this.realNow() - this.realBase;
    return this.simBase + elapsed * (this.scale === 0 ? 1 : this.scale);
  }

  wallNow(): number {
    return this.realNow();
  }

  setTimeScale(timeScale: number): void {
    this.rebase(this.now());
    this.scale = timeScale;
    this.updateFrozen();
    this.wake();
  }

  /** Marks device work in progress outside the queue (a simulator call); returns its release. */
  hold(): () => void {
    this.holds++;
    this.updateFrozen();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.updateFrozen();
      this.wake();
    };
  }

  /** Moves simulated time forward by `ms`, running every event due on the way in order. */
  advance(ms: number): void {
    const target = this.now() + ms;
    this.runDue(target, true);
    if (this.now() < target) this.rebase(target);
    this.wake();
  }

  schedule(at: number, kind: EventKind, run: () => void): Cancel {
    const event: ScheduledEvent = { at, seq: this.seq++, kind, run, cancelled: false };
    this.push(event);
    if (kind === 'work') this.workEvents++;
    this.updateFrozen();
    this.wake();
    return () => {
      if (event.cancelled) return;
      event.cancelled = true;
      if (kind === 'work') this.workEvents--;
      this.updateFrozen();
    };
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.queue.length = 0;
  }

  private rebase(simNow: number): void {
    this.simBase = simNow;
    this.realBase = this.realNow();
  }

  private hasWork(): boolean {
    return this.workEvents > 0;
  }

  private updateFrozen(): void {
    const frozen = this.workEvents > 0 || this.holds > 0;
    if (frozen === this.frozen) return;
    this.rebase(this.now());
    this.frozen = frozen;
  }

  private wake(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.draining) return;
    const head = this.peek();
    if (!head) return;
    if (this.scale === 0 && this.hasWork()) {
      this.timer = setTimeout(() => this.drainVirtual(), 0);
      return;
    }
    const speed = this.scale === 0 ? 1 : this.scale;
    const delay = Math.max(0, (head.at - this.now()) / speed);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runDue(this.now(), false);
      this.wake();
    }, Math.min(delay, 2 ** 31 - 1));
  }

  private drainVirtual(): void {
    this.timer = undefined;
    this.draining = true;
    try {
      for (let i = 0; i < VIRTUAL_EVENTS_PER_TURN && this.scale === 0 && this.hasWork(); i++) {
        const head = this.pop();
        if (!head) break;
        if (head.at > this.now()) this.rebase(head.at);
        this.runEvent(head);
      }
    } finally {
      this.draining = false;
    }
    this.wake();
  }

  private runDue(until: number, jump: boolean): void {
    for (let head = this.peek(); head && head.at <= until; head = this.peek()) {
      this.pop();
      if (jump && head.at > this.now()) this.rebase(head.at);
      this.runEvent(head);
    }
  }

  private runEvent(event: ScheduledEvent): void {
    try {
      event.run();
    } catch (error) {
      this.onEventError(error);
    }
  }

  private peek(): ScheduledEvent | undefined {
    while (this.queue.length > 0 && this.queue[0]!.cancelled) this.pop();
    return this.queue[0];
  }

  private push(event: ScheduledEvent): void {
    const q = this.queue;
    q.push(event);
    let i = q.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(q[i]!, q[parent]!)) break;
      [q[i], q[parent]] = [q[parent]!, q[i]!];
      i = parent;
    }
  }

  private pop(): ScheduledEvent | undefined {
    const top = this.removeHead();
    if (top && top.kind === 'work' && !top.cancelled) {
      this.workEvents--;
      top.cancelled = true;
      queueMicrotask(() => this.updateFrozen());
    }
    return top;
  }

  private removeHead(): ScheduledEvent | undefined {
    const q = this.queue;
    const top = q[0];
    const last = q.pop();
    if (q.length > 0 && last) {
      q[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < q.length && before(q[l]!, q[m]!)) m = l;
        if (r < q.length && before(q[r]!, q[m]!)) m = r;
        if (m === i) break;
        [q[i], q[m]] = [q[m]!, q[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
