import awsCronParser from 'aws-cron-parser';
import type { ReleaseGate } from './run-dependencies.js';
import type { RecurringWindow } from './job-spec.js';

/**
 * Devices of a job with recurring windows are released only inside one: a window opens at each time its cron names and
 * stays open durationMinutes. The gate answers `now` inside a window, else the next opening (Infinity when none comes).
 * The API that made the job checked the expressions.
 */
export function recurringWindowGate(recurring: readonly RecurringWindow[] | undefined): ReleaseGate | undefined {
  const windows = recurring?.map((window) => ({ cron: awsCronParser.parse(window.cron), durationMs: window.durationMinutes * 60_000 }));
  if (!windows?.length) return undefined;
  return (now) => {
    let earliest = Infinity;
    for (const { cron, durationMs } of windows) {
      // next / prev are exclusive of the given time.
      const opened = awsCronParser.prev(cron, new Date(now + 1));
      if (opened && now < opened.getTime() + durationMs) return now;
      const opens = awsCronParser.next(cron, new Date(now));
      if (opens) earliest = Math.min(earliest, opens.getTime());
    }
    return earliest;
  };
}
