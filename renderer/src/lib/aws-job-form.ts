import type { AwsJobBody, AwsTargets, FailureType, RolloutConfig } from '../api/control-types';
import { isAwsJobId } from './ids';

/** Everything the AWS IoT job form holds; turned into a CreateJob body on submit. */
export interface AwsJobForm {
  jobId: string;
  description: string;
  thingGroupNames: string[];
  /** Thing names separated by commas, spaces or lines. */
  thingNames: string;
  document: string;
  targetSelection: 'SNAPSHOT' | 'CONTINUOUS';
  rollout: 'default' | 'constant' | 'exponential';
  maximumPerMinute: number;
  baseRatePerMinute: number;
  incrementFactor: number;
  increaseOn: 'notified' | 'succeeded';
  increaseEvery: number;
  useAbort: boolean;
  abortFailureType: FailureType;
  abortThresholdPercentage: number;
  abortMinExecuted: number;
  useTimeout: boolean;
  timeoutMinutes: number;
  useRetry: boolean;
  retryFailureType: Exclude<FailureType, 'REJECTED'>;
  retries: number;
  useSchedule: boolean;
  /** `YYYY-MM-DDTHH:MM`, UTC, as AWS IoT takes it. */
  startTime: string;
  endTime: string;
  endBehavior: 'STOP_ROLLOUT' | 'CANCEL' | 'FORCE_CANCEL';
}

export type AwsField = 'jobId' | 'description' | 'targets' | 'document' | 'rollout' | 'abort' | 'timeout' | 'retry' | 'schedule' | 'form';

export function emptyAwsForm(): AwsJobForm {
  return {
    jobId: crypto.randomUUID(),
    description: '',
    thingGroupNames: [],
    thingNames: '',
    document: '{\n  "operation": "reboot"\n}',
    targetSelection: 'SNAPSHOT',
    rollout: 'default',
    maximumPerMinute: 100,
    baseRatePerMinute: 10,
    incrementFactor: 2,
    increaseOn: 'notified',
    increaseEvery: 10,
    useAbort: false,
    abortFailureType: 'FAILED',
    abortThresholdPercentage: 10,
    abortMinExecuted: 10,
    useTimeout: false,
    timeoutMinutes: 60,
    useRetry: false,
    retryFailureType: 'FAILED',
    retries: 1,
    useSchedule: false,
    startTime: '',
    endTime: '',
    endBehavior: 'STOP_ROLLOUT',
  };
}

export function targetsOf(form: AwsJobForm): AwsTargets {
  const thingNames = form.thingNames.split(/[\s,]+/).filter(Boolean);
  return {
    ...(form.thingGroupNames.length > 0 && { thingGroupNames: [...form.thingGroupNames] }),
    ...(thingNames.length > 0 && { thingNames }),
  };
}

export function rolloutOf(form: AwsJobForm): RolloutConfig | undefined {
  if (form.rollout === 'default') return undefined;
  if (form.rollout === 'constant') return { maximumPerMinute: form.maximumPerMinute };
  const criterion = form.increaseOn === 'notified' ? { numberOfNotifiedThings: form.increaseEvery } : { numberOfSucceededThings: form.increaseEvery };
  return {
    maximumPerMinute: form.maximumPerMinute,
    exponentialRate: { baseRatePerMinute: form.baseRatePerMinute, incrementFactor: form.incrementFactor, rateIncreaseCriteria: criterion },
  };
}

/** Problems the form can see before asking the API, by field; limits beyond these are the API's to name. */
export function checkAwsForm(form: AwsJobForm): Partial<Record<AwsField, string>> {
  const errors: Partial<Record<AwsField, string>> = {};
  if (!isAwsJobId(form.jobId)) errors.jobId = 'Use 1 to 64 letters, digits, "-" or "_".';
  const targets = targetsOf(form);
  if (!targets.thingGroupNames && !targets.thingNames) errors.targets = 'Choose at least one thing group, or name things.';
  try {
    JSON.parse(form.document);
  } catch (error) {
    errors.document = `The job document must be JSON: ${(error as Error).message}`;
  }
  if (form.useSchedule && !form.startTime) errors.schedule = 'Choose when the rollout starts.';
  return errors;
}

export function toAwsJobBody(form: AwsJobForm): AwsJobBody {
  const rollout = rolloutOf(form);
  return {
    jobId: form.jobId,
    ...(form.description.trim() && { description: form.description.trim() }),
    ...targetsOf(form),
    document: form.document,
    targetSelection: form.targetSelection,
    ...(rollout && { jobExecutionsRolloutConfig: rollout }),
    ...(form.useAbort && {
      abortConfig: {
        criteriaList: [
          { failureType: form.abortFailureType, action: 'CANCEL' as const, thresholdPercentage: form.abortThresholdPercentage, minNumberOfExecutedThings: form.abortMinExecuted },
        ],
      },
    }),
    ...(form.useTimeout && { timeoutConfig: { inProgressTimeoutInMinutes: form.timeoutMinutes } }),
    ...(form.useRetry && { jobExecutionsRetryConfig: { criteriaList: [{ failureType: form.retryFailureType, numberOfRetries: form.retries }] } }),
    ...(form.useSchedule && {
      schedulingConfig: { startTime: form.startTime, ...(form.endTime && { endTime: form.endTime, endBehavior: form.endBehavior }) },
    }),
  };
}

/** Which field an API error concerns: the control API names the member first (`abortConfig.criteriaList.0…: …`). */
export function awsFieldOfError(message: string): AwsField {
  const rules: [RegExp, AwsField][] = [
    [/^jobExecutionsRolloutConfig/, 'rollout'],
    [/^abortConfig/, 'abort'],
    [/^timeoutConfig/, 'timeout'],
    [/^jobExecutionsRetryConfig/, 'retry'],
    [/schedulingConfig/, 'schedule'],
    [/^thingGroupNames|^thingNames|^Thing group "|^Thing "/, 'targets'],
    [/^document/, 'document'],
    [/^description/, 'description'],
    [/^jobId|already exists/, 'jobId'],
  ];
  return rules.find(([pattern]) => pattern.test(message))?.[1] ?? 'form';
}
