import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimulationClock } from '../../electron/domain/simulation-clock.js';

const clocks: SimulationClock[] = [];
afterEach(() => {
  for (const clock of clocks.splice(0)) clock.close();
  vi.useRealTimers();
});

/** A clock whose real-time source is vitest's fake clock: the test alone decides when real time passes. */
function fakeClock(timeScale: number): SimulationClock {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const clock = new SimulationClock(timeScale, () => Date.now());
  clocks.push(clock);
  return clock;
}

describe('the simulation clock on an injected real-time source', () => {
  it('runs simulated time timeScale times faster than real time, and a new scale goes on from the same instant', () => {
    const clock = fakeClock(10);
    const start = clock.now();
    const wallStart = clock.wallNow();
    vi.advanceTimersByTime(500);
    expect(clock.now() - start).toBe(5000);
    clock.setTimeScale(2);
    vi.advanceTimersByTime(500);
    expect(clock.now() - start).toBe(6000);
    expect(clock.wallNow() - wallStart).toBe(1000);
  });

  it('hands what an event throws to its error handler and still runs the events due after it', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const errors: unknown[] = [];
    const clock = new SimulationClock(60, () => Date.now(), (error) => errors.push(error));
    clocks.push(clock);
    const fired: string[] = [];
    clock.schedule(clock.now() + 60_000, 'timer', () => {
      throw new Error('a target device was deleted');
    });
    clock.schedule(clock.now() + 60_000, 'timer', () => fired.push('the next event'));
    clock.schedule(clock.now() + 120_000, 'timer', () => fired.push('a later one'));
    vi.advanceTimersByTime(2000);
    expect(errors).toEqual([new Error('a target device was deleted')]);
    expect(fired).toEqual(['the next event', 'a later one']);
  });

  it('fires an event when its simulated time comes, not a moment before, and never once cancelled', () => {
    const clock = fakeClock(60);
    const fired: string[] = [];
    clock.schedule(clock.now() + 60_000, 'timer', () => fired.push('a simulated minute'));
    const cancel = clock.schedule(clock.now() + 30_000, 'timer', () => fired.push('cancelled'));
    cancel();
    vi.advanceTimersByTime(999);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['a simulated minute']);
  });

  it('advance() runs what falls due in time order (ties in the order scheduled) and lands on its target', () => {
    const clock = fakeClock(1);
    const start = clock.now();
    const ran: [string, number][] = [];
    const at = (label: string, offset: number) => clock.schedule(start + offset, 'timer', () => ran.push([label, clock.now() - start]));
    at('third', 300);
    at('first', 100);
    at('second', 100);
    clock.advance(200);
    expect(ran).toEqual([
      ['first', 100],
      ['second', 100],
    ]);
    expect(clock.now() - start).toBe(200);
    clock.advance(200);
    expect(ran.at(-1)).toEqual(['third', 300]);
    expect(clock.now() - start).toBe(400);
  });

  it('in virtual time, flows like real time while idle, jumps to device work, and stands still while it is in progress', async () => {
    const clock = fakeClock(0);
    const start = clock.now();
    vi.advanceTimersByTime(1000);
    expect(clock.now() - start).toBe(1000);

    let seenAt: number | undefined;
    clock.schedule(start + 3_600_000, 'work', () => (seenAt = clock.now() - start));
    await vi.advanceTimersByTimeAsync(0);
    expect(seenAt).toBe(3_600_000);

    const release = clock.hold();
    const held = clock.now();
    vi.advanceTimersByTime(5000);
    expect(clock.now()).toBe(held);
    release();
    vi.advanceTimersByTime(250);
    expect(clock.now()).toBe(held + 250);
  });
});
