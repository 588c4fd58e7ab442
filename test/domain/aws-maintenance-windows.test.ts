import { describe, expect, it } from 'vitest';
import type { AwsJobRecord, MaintenanceWindow } from '../../electron/domain/aws/aws-job-model.js';
import { specOf } from '../../electron/domain/aws/aws-job-spec.js';
import { checkMaintenanceWindows } from '../../electron/domain/aws/maintenance-windows.js';
import { recurringWindowGate } from '../../electron/domain/jobs/recurring-windows.js';

/** The engine's release gate of an AWS job with these maintenance windows, through the AWS mapping. */
const maintenanceWindowGate = (windows: MaintenanceWindow[] | undefined) => {
  const record: AwsJobRecord = { jobId: 'j', targets: [], thingGroups: [], targetSelection: 'SNAPSHOT', document: '{}', settings: { ...(windows && { maintenanceWindows: windows }) }, createdAt: 0, lastUpdatedAt: 0 };
  return recurringWindowGate(specOf(record).window?.recurring);
};
const at = (iso: string) => Date.parse(iso);

describe('AWS IoT maintenance windows as a release gate', () => {
  // Saturdays 22:00 UTC for two hours.
  const gate = maintenanceWindowGate(([{ startTime: 'cron(0 22 ? * SAT *)', durationInMinutes: 120 }]))!;

  it('lets releases happen inside a window and defers them to the next opening outside it', () => {
    expect(gate(at('2025-01-04T22:00:00Z'))).toBe(at('2025-01-04T22:00:00Z'));
    expect(gate(at('2025-01-04T23:59:00Z'))).toBe(at('2025-01-04T23:59:00Z'));
    expect(gate(at('2025-01-05T00:00:00Z'))).toBe(at('2025-01-11T22:00:00Z'));
    expect(gate(at('2025-01-06T09:30:00Z'))).toBe(at('2025-01-11T22:00:00Z'));
  });

  it('takes the earliest of several windows, and none without windows', () => {
    const two = maintenanceWindowGate(
      ([
        { startTime: 'cron(0 22 ? * SAT *)', durationInMinutes: 60 },
        { startTime: 'cron(30 3 * * ? *)', durationInMinutes: 30 },
      ]),
    )!;
    expect(two(at('2025-01-06T09:30:00Z'))).toBe(at('2025-01-07T03:30:00Z'));
    expect(maintenanceWindowGate((undefined))).toBeUndefined();
  });

  it('refuses a start time that is not an AWS cron expression', () => {
    expect(() => checkMaintenanceWindows([{ startTime: 'every saturday', durationInMinutes: 60 }])).toThrow(/cron/);
    expect(() => checkMaintenanceWindows([{ startTime: 'cron(0 25 * * ? *)', durationInMinutes: 60 }])).toThrow(/not a valid cron/);
  });
});
