import { describe, expect, it } from 'vitest';
import type { AwsJobRecord } from '../../electron/domain/aws/aws-job-model.js';
import { specOf } from '../../electron/domain/aws/aws-job-spec.js';
import { migrateJobSpecs } from '../../electron/store/migrations/job-specs.js';

/** An AWS job as schema 3 stored it: its AWS record, and the engine definition made from it then. */
const settings: AwsJobRecord['settings'] = {
  jobExecutionsRolloutConfig: { maximumPerMinute: 50, exponentialRate: { baseRatePerMinute: 5, incrementFactor: 2, rateIncreaseCriteria: { numberOfSucceededThings: 10 } } },
  abortConfig: { criteriaList: [{ failureType: 'TIMED_OUT', action: 'CANCEL', thresholdPercentage: 20, minNumberOfExecutedThings: 5 }] },
  timeoutConfig: { inProgressTimeoutInMinutes: 3 },
  jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 2 }] },
  schedulingConfig: { startTime: '2099-01-01T00:00', endTime: '2099-01-02T00:00', endBehavior: 'FORCE_CANCEL', maintenanceWindows: [{ startTime: 'cron(0 22 ? * SAT *)', durationInMinutes: 120 }] },
};
const record: AwsJobRecord = { jobId: 'aws-1', description: 'Firmware', targets: [], thingGroups: [], targetSelection: 'CONTINUOUS', document: '{}', settings, createdAt: 0, lastUpdatedAt: 0 };
const schema3Definition = {
  displayName: 'aws-1',
  description: 'Firmware',
  dialect: 'aws',
  group: '',
  data: [{ type: 'document', typeAsSent: 'document' }],
  rollout: settings.jobExecutionsRolloutConfig,
  abortCriteria: [{ failureType: 'TIMED_OUT', thresholdPercentage: 20, minNumberOfExecutedThings: 5 }],
  inProgressTimeoutMinutes: 3,
  retries: [{ failureType: 'FAILED', numberOfRetries: 2 }],
  continuous: true,
  notBefore: Date.parse('2099-01-01T00:00Z'),
  endAt: { at: Date.parse('2099-01-02T00:00Z'), behavior: 'FORCE_CANCEL' },
  maintenanceWindows: [{ startTime: 'cron(0 22 ? * SAT *)', durationInMinutes: 120 }],
};

describe('the schema 4 migration of job definitions', () => {
  it('gives an AWS job the spec its AWS record maps to today, and no IoT Central echo', () => {
    const migrated = migrateJobSpecs({ jobs: { 'aws-1': { id: 'aws-1', seq: 1, definition: schema3Definition, status: 'pending' } }, awsJobs: { 'aws-1': record } });
    expect((migrated.jobs as Record<string, { spec: unknown }>)['aws-1']!.spec).toEqual(specOf(record));
    expect(migrated.centralJobs).toEqual({});
    expect(migrated.awsJobs).toEqual({ 'aws-1': record });
  });

  it('marks a job whose end time stopped its rollout, so that it does not release again after the upgrade', () => {
    const stopped = { ...schema3Definition, continuous: false };
    const migrated = migrateJobSpecs({ jobs: { 'aws-1': { id: 'aws-1', seq: 1, definition: stopped, status: 'running' } } });
    expect((migrated.jobs as Record<string, Record<string, unknown>>)['aws-1']).toMatchObject({ releaseStopped: true, status: 'running' });
    expect((migrated.jobs as Record<string, { spec: { growsWithTargets?: boolean } }>)['aws-1']!.spec.growsWithTargets).toBeUndefined();
  });
});
