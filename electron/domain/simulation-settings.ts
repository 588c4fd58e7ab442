import type { BehaviorRecord, SimulationRecord } from '../store/records.js';
import { checkLatency } from './latency-range.js';
import type { AppStore } from './persisted.js';
import type { Supervisor } from './background.js';
import type { SimulationClock } from './simulation-clock.js';

export interface SimulationInput {
  seed?: number;
  timeScale?: number;
  /** A latencyMs given keeps the current bounds it leaves out. */
  defaults?: Partial<Omit<BehaviorRecord, 'latencyMs'>> & { latencyMs?: Partial<BehaviorRecord['latencyMs']> };
}

/** The simulation profile: seed, time scale and default device behaviour. */
export class SimulationSettings {
  constructor(
    private readonly store: AppStore,
    private readonly clock: SimulationClock,
    private readonly background: Supervisor,
  ) {
    // The clock runs at the stored time scale, whatever set it: this service, a reset or a snapshot import.
    store.subscribe((change) => {
      if (change.op !== 'replaced' && !(change.op === 'set' && change.singleton === 'simulation')) return;
      const { timeScale } = store.get('simulation');
      if (clock.timeScale !== timeScale) clock.setTimeScale(timeScale);
    });
  }

  get(): SimulationRecord & { now: string } {
    return { ...structuredClone(this.store.get('simulation')), now: new Date(this.clock.now()).toISOString() };
  }

  async update(input: SimulationInput): Promise<SimulationRecord & { now: string }> {
    const current = this.store.get('simulation');
    const next: SimulationRecord = {
      seed: input.seed ?? current.seed,
      timeScale: input.timeScale ?? current.timeScale,
      defaults: {
        ...current.defaults,
        ...input.defaults,
        latencyMs: input.defaults?.latencyMs ? latencyFrom(input.defaults.latencyMs, current.defaults.latencyMs) : current.defaults.latencyMs,
      },
    };
    checkLatency(next.defaults.latencyMs, 'defaults.latencyMs');
    await this.store.commit((tx) => tx.set('simulation', next));
    return this.get();
  }

  /** Moves simulated time forward, running scheduled runs and device answers due on the way; resolves once they are saved. */
  async advanceClock(ms: number): Promise<{ now: string }> {
    this.clock.advance(ms);
    const now = new Date(this.clock.now()).toISOString();
    await this.background.idle();
    return { now };
  }
}

/** A latency given keeps the current bounds it leaves out; mean and p99 count only when given, so leaving them out returns to uniform. */
function latencyFrom(given: Partial<BehaviorRecord['latencyMs']>, current: BehaviorRecord['latencyMs']): BehaviorRecord['latencyMs'] {
  const { mean, p99 } = given;
  return { min: given.min ?? current.min, max: given.max ?? current.max, ...(mean !== undefined ? { mean } : {}), ...(p99 !== undefined ? { p99 } : {}) };
}
