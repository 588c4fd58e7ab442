export type Recurrence = 'daily' | 'weekly' | 'monthly';

export type ScheduleEnd = { type: 'date'; date: string } | { type: 'occurrences'; occurrences: number };

export interface Schedule {
  start: string;
  recurrence?: Recurrence;
  end?: ScheduleEnd;
}

const DAY = 24 * 3600_000;

/** The time of the schedule's n-th run (n from 0), in ms; months keep the start's day, clamped to the month's end. */
export function occurrenceAt(schedule: Schedule, n: number): number {
  const start = Date.parse(schedule.start);
  switch (schedule.recurrence) {
    case undefined:
      return start;
    case 'daily':
      return start + n * DAY;
    case 'weekly':
      return start + n * 7 * DAY;
    case 'monthly': {
      const date = new Date(start);
      const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + n, 1));
      const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
      target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
      target.setUTCHours(date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds());
      return target.getTime();
    }
  }
}

/** Whether run n (from 0) is still within the schedule's end. */
function withinEnd(schedule: Schedule, n: number): boolean {
  if (schedule.recurrence === undefined) return n === 0;
  const end = schedule.end;
  if (!end) return true;
  if (end.type === 'occurrences') return n < end.occurrences;
  return occurrenceAt(schedule, n) < Date.parse(`${end.date}T00:00:00Z`) + DAY;
}

/**
 * The index of the first run due at or after `now`, given `done` runs so far; past runs that were missed are
 * skipped rather than replayed, except that a one-off schedule whose time has passed still runs once.
 */
export function nextRunIndex(schedule: Schedule, done: number, now: number): number | undefined {
  let n = done;
  if (schedule.recurrence !== undefined) {
    while (withinEnd(schedule, n) && occurrenceAt(schedule, n) < now && occurrenceAt(schedule, n + 1) <= now) n++;
  }
  return withinEnd(schedule, n) ? n : undefined;
}
