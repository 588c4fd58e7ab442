import awsCronParser from 'aws-cron-parser';
import { invalid } from '../errors.js';
import type { MaintenanceWindow } from './aws-job-model.js';

const CRON = /^cron\((.+)\)$/;

/** A maintenance window's start cron as the parser takes it; AWS IoT writes `cron(<6 fields>)`. */
function parseCron(startTime: string): ReturnType<typeof awsCronParser.parse> {
  const expression = CRON.exec(startTime.trim())?.[1] ?? startTime.trim();
  if (expression.split(/\s+/).length !== 6) throw invalid(`Maintenance window startTime "${startTime}" is not an AWS cron expression such as cron(0 22 ? * SAT *).`);
  try {
    return awsCronParser.parse(expression);
  } catch (error) {
    throw invalid(`Maintenance window startTime "${startTime}" is not a valid cron expression: ${(error as Error).message}`);
  }
}

/** Checks windows when a job is created, so that a bad cron is a 400 then rather than a job that never releases. */
export function checkMaintenanceWindows(windows: readonly MaintenanceWindow[]): void {
  for (const window of windows) parseCron(window.startTime);
}
