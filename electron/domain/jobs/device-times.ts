/** Per-device times are stored as 100 ms ticks after the job's start, plus one (0: not yet). */
export const TICK_MS = 100;

/** Ticks count from the job's start rounded down to the tick, so that times fall on the 100 ms grid of the clock. */
export const tickBase = (jobStart: number) => Math.floor(jobStart / TICK_MS) * TICK_MS;

export function deviceTimesAt(times: Uint32Array | null, jobStart: number, position: number): { startedAt?: number; updatedAt?: number } {
  const at = (tick: number | undefined) => (tick ? tickBase(jobStart) + (tick - 1) * TICK_MS : undefined);
  return times ? { startedAt: at(times[2 * position]), updatedAt: at(times[2 * position + 1]) } : {};
}
