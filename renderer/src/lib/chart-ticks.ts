/** Axis ticks for the outcomes chart: whole device counts and round steps of simulated time. */

/** 0 to a round count at or above `max`, in 2 to about 5 whole steps. */
export function countTicks(max: number, target = 4): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, ([1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw) ?? 10 * magnitude));
  const top = Math.ceil(max / step) * step;
  return Array.from({ length: Math.round(top / step) + 1 }, (_, k) => k * step);
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const TIME_STEPS = [10, 20, 50, 100, 200, 500, SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND, MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR];

/** Elapsed times (ms) from 0 to at most `duration`, a round step apart, about `target` of them. */
export function timeTicks(duration: number, target = 5): number[] {
  const step = TIME_STEPS.find((candidate) => candidate >= duration / target) ?? Math.ceil(duration / target / (24 * HOUR)) * 24 * HOUR;
  return Array.from({ length: Math.floor(duration / step) + 1 }, (_, k) => k * step);
}

/** An elapsed time in the unit its step is counted in: "0.25 s", "30 s", "2 min", "6 h". */
export function elapsedLabel(ms: number, step: number): string {
  const number = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
  if (step < MINUTE) return `${number(ms / SECOND)} s`;
  if (step < HOUR) return `${number(ms / MINUTE)} min`;
  return `${number(ms / HOUR)} h`;
}
