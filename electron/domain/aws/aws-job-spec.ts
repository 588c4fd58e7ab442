import type { FailureKind, JobSpec, JobSpecUpdate, ReleaseRate } from '../jobs/job-spec.js';
import { scheduleTimeOf, type AwsFailureType, type AwsJobRecord, type RolloutRate } from './aws-job-model.js';

const FAILURE_KINDS: Record<AwsFailureType, FailureKind> = { FAILED: 'failed', REJECTED: 'rejected', TIMED_OUT: 'timedOut' };
const failureOf = (type: AwsFailureType | 'ALL') => (type === 'ALL' ? 'any' : FAILURE_KINDS[type]);

/** The AWS status of an execution that failed for a reason of that kind. */
export const AWS_FAILURE_STATUS: Record<FailureKind, AwsFailureType> = { failed: 'FAILED', rejected: 'REJECTED', timedOut: 'TIMED_OUT' };

const END_MODES = { STOP_ROLLOUT: 'stopReleasing', CANCEL: 'cancel', FORCE_CANCEL: 'forceCancel' } as const;
const CRON = /^cron\((.+)\)$/;

/** An AWS rollout configuration as the engine's release rate. */
export function releaseRateOf(rollout: RolloutRate): ReleaseRate {
  const ramp = rollout.exponentialRate;
  const criteria = ramp?.rateIncreaseCriteria;
  return {
    ...(rollout.maximumPerMinute !== undefined && { maximumPerMinute: rollout.maximumPerMinute }),
    ...(ramp && {
      ramp: {
        basePerMinute: ramp.baseRatePerMinute,
        factor: ramp.incrementFactor,
        ...(criteria?.numberOfNotifiedThings !== undefined && { afterNotified: criteria.numberOfNotifiedThings }),
        ...(criteria?.numberOfSucceededThings !== undefined && { afterSucceeded: criteria.numberOfSucceededThings }),
      },
    }),
  };
}

/** The engine's spec of an AWS job: one document operation on the things resolved at creation, at AWS's rollout rate. */
export function specOf(record: AwsJobRecord): JobSpec {
  const { settings } = record;
  const schedule = settings.schedulingConfig;
  const windows = schedule?.maintenanceWindows ?? settings.maintenanceWindows;
  const window = {
    ...(schedule?.startTime !== undefined && { startAt: scheduleTimeOf(schedule.startTime, 'startTime') }),
    ...(schedule?.endTime !== undefined && { endAt: { at: scheduleTimeOf(schedule.endTime, 'endTime'), mode: END_MODES[schedule.endBehavior ?? 'STOP_ROLLOUT'] } }),
    ...(windows?.length && {
      recurring: windows.map(({ startTime, durationInMinutes }) => ({ cron: CRON.exec(startTime.trim())?.[1] ?? startTime.trim(), durationMinutes: durationInMinutes })),
    }),
  };
  return {
    displayName: record.jobId,
    targets: { kind: 'devices' },
    operations: [{ kind: 'document', ...(record.download && { download: { bytes: record.download.bytes, expiresMs: record.download.expiresInSec * 1000 } }) }],
    ...specUpdateOf(record),
    ...(record.targetSelection === 'CONTINUOUS' && { growsWithTargets: true }),
    ...(Object.keys(window).length > 0 && { window }),
  };
}

/** What UpdateJob can change in the engine's spec; the rest was fixed when the job was created. */
export function specUpdateOf(record: AwsJobRecord): JobSpecUpdate & Pick<JobSpec, 'release'> {
  const { settings } = record;
  const timeout = settings.timeoutConfig?.inProgressTimeoutInMinutes;
  return {
    ...(record.description !== undefined && { description: record.description }),
    // Without a rollout configuration AWS IoT still rolls out at its default maximum rate.
    release: { kind: 'rate', rate: releaseRateOf(settings.jobExecutionsRolloutConfig ?? {}) },
    ...(settings.abortConfig && {
      abort: {
        kind: 'failureRates',
        rules: settings.abortConfig.criteriaList.map(({ failureType, thresholdPercentage, minNumberOfExecutedThings }) => ({
          failure: failureOf(failureType),
          percentage: thresholdPercentage,
          minExecuted: minNumberOfExecutedThings,
        })),
      },
    }),
    ...(timeout !== undefined && { inProgressTimeoutMinutes: timeout }),
    ...(settings.jobExecutionsRetryConfig && {
      retry: settings.jobExecutionsRetryConfig.criteriaList.map(({ failureType, numberOfRetries }) => ({ failure: failureOf(failureType), retries: numberOfRetries })),
    }),
  };
}
