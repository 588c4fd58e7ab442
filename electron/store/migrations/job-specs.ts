
/**
 * Schema 3 -> 4: a job's `definition` carried both APIs' spellings (the `type` as sent, AWS rollout, abort and retry
 * criteria, `endAt.behavior`, maintenance windows) and a `dialect` flag. Each job now holds the engine's neutral
 * `spec`; IoT Central's jobs (every job without `dialect: 'aws'`) get their echo in `centralJobs`; scheduled jobs
 * hold both. AWS jobs keep their `awsJobs` record, which already had what AWS echoes.
 */
type Old = Record<string, unknown>;
// The shapes written, spelled out here: a migration stays as it was when the domain's types change again.
type OperationKind = 'property' | 'command' | 'cloudProperty' | 'templateMigration' | 'manifestMigration' | 'document';
type FailureKind = 'failed' | 'rejected' | 'timedOut';
type JobOperation = Old & { kind: OperationKind };
type ReleaseSpec = Old & { kind: 'batches' | 'rate' };
type AbortSpec = Old & { kind: 'threshold' | 'failureRates' };
type RetryRule = { failure: FailureKind | 'any'; retries: number };
type TimeWindow = Old;
type JobSpec = Old;
type CentralJobEcho = Old;
type CentralJobRecord = { id: string; echo: CentralJobEcho; scheduledJobId?: string };

const OPERATION_KINDS: Record<string, OperationKind> = {
  property: 'property',
  command: 'command',
  cloudProperty: 'cloudProperty',
  deviceTemplateMigration: 'templateMigration',
  deviceManifestMigration: 'manifestMigration',
  document: 'document',
};
const FAILURE_KINDS: Record<string, FailureKind | 'any'> = { FAILED: 'failed', REJECTED: 'rejected', TIMED_OUT: 'timedOut', ALL: 'any' };
const END_MODES = { STOP_ROLLOUT: 'stopReleasing', CANCEL: 'cancel', FORCE_CANCEL: 'forceCancel' } as const;
const CRON = /^cron\((.+)\)$/;

const isObject = (value: unknown): value is Old => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): Old[] => (Array.isArray(value) ? value.filter(isObject) : []);
const entries = (value: unknown): [string, Old][] => Object.entries(isObject(value) ? value : {}).filter((entry): entry is [string, Old] => isObject(entry[1]));
const defined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

export function migrateJobSpecs({ jobs, scheduledJobs, ...rest }: Old): Old {
  // Without a prototype: a job named "__proto__" is a key like any other.
  const nextJobs: Record<string, unknown> = Object.create(null);
  const centralJobs: Record<string, CentralJobRecord> = Object.create(null);
  for (const [id, { definition, ...record }] of entries(jobs)) {
    const old = isObject(definition) ? definition : {};
    // An end time that stopped a rollout turned `continuous` off (it is absent on every other job).
    nextJobs[id] = { ...record, spec: specOf(old), ...(old.continuous === false && { releaseStopped: true }) };
    if (old.dialect !== 'aws') {
      centralJobs[id] = defined({ id, echo: echoOf(old), scheduledJobId: typeof old.scheduledJobId === 'string' ? old.scheduledJobId : undefined });
    }
  }
  const nextScheduled: Record<string, unknown> = Object.create(null);
  for (const [id, { definition, ...record }] of entries(scheduledJobs)) {
    const old = isObject(definition) ? definition : {};
    nextScheduled[id] = { ...record, spec: specOf(old), echo: echoOf(old) };
  }
  return { ...rest, jobs: nextJobs, scheduledJobs: nextScheduled, centralJobs };
}

function specOf(old: Old): JobSpec {
  const group = typeof old.group === 'string' ? old.group : '';
  const window: TimeWindow = defined({
    startAt: typeof old.notBefore === 'number' ? old.notBefore : undefined,
    endAt: isObject(old.endAt) ? { at: Number(old.endAt.at), mode: END_MODES[old.endAt.behavior as keyof typeof END_MODES] ?? 'stopReleasing' } : undefined,
    recurring: Array.isArray(old.maintenanceWindows) && old.maintenanceWindows.length > 0
      ? list(old.maintenanceWindows).map((w) => ({ cron: CRON.exec(String(w.startTime).trim())?.[1] ?? String(w.startTime).trim(), durationMinutes: Number(w.durationInMinutes) }))
      : undefined,
  });
  return defined({
    displayName: old.displayName as string | undefined,
    description: old.description as string | undefined,
    targets: old.dialect === 'aws' || group === '' ? { kind: 'devices' } : { kind: 'group', group },
    operations: list(old.data).map(operationOf),
    release: releaseOf(old),
    abort: abortOf(old),
    retry: Array.isArray(old.retries) ? list(old.retries).map((r): RetryRule => ({ failure: FAILURE_KINDS[String(r.failureType)] ?? 'any', retries: Number(r.numberOfRetries) })) : undefined,
    inProgressTimeoutMinutes: typeof old.inProgressTimeoutMinutes === 'number' ? old.inProgressTimeoutMinutes : undefined,
    window: Object.keys(window).length > 0 ? window : undefined,
    growsWithTargets: old.continuous === true ? true : undefined,
  });
}

function operationOf(op: Old): JobOperation {
  return defined({
    kind: OPERATION_KINDS[String(op.type)] ?? 'property',
    target: op.target as string | undefined,
    path: op.path as string | undefined,
    value: op.value,
    deviceValue: op.deviceValue,
    template: op.template as string | undefined,
    manifest: op.manifest as string | undefined,
  });
}

function releaseOf(old: Old): ReleaseSpec {
  if (!isObject(old.rollout)) return defined({ kind: 'batches', batch: isObject(old.batch) ? old.batch : undefined });
  const ramp = isObject(old.rollout.exponentialRate) ? old.rollout.exponentialRate : undefined;
  const criteria = isObject(ramp?.rateIncreaseCriteria) ? ramp.rateIncreaseCriteria : {};
  return {
    kind: 'rate',
    rate: defined({
      maximumPerMinute: old.rollout.maximumPerMinute as number | undefined,
      ramp: ramp && defined({
        basePerMinute: Number(ramp.baseRatePerMinute),
        factor: Number(ramp.incrementFactor),
        afterNotified: criteria.numberOfNotifiedThings as number | undefined,
        afterSucceeded: criteria.numberOfSucceededThings as number | undefined,
      }),
    }),
  };
}

function abortOf(old: Old): AbortSpec | undefined {
  if (Array.isArray(old.abortCriteria)) {
    const rules = list(old.abortCriteria).map((c) => ({ failure: FAILURE_KINDS[String(c.failureType)] ?? 'any', percentage: Number(c.thresholdPercentage), minExecuted: Number(c.minNumberOfExecutedThings) }));
    return { kind: 'failureRates', rules };
  }
  const threshold = isObject(old.cancellationThreshold) ? old.cancellationThreshold : undefined;
  if (!threshold) return undefined;
  return defined({ kind: 'threshold' as const, type: threshold.type as 'number' | 'percentage', value: Number(threshold.value), perBatch: threshold.batch === undefined ? undefined : Boolean(threshold.batch) });
}

function echoOf(old: Old): CentralJobEcho {
  return defined({
    displayName: old.displayName as string | undefined,
    description: old.description as string | undefined,
    group: typeof old.group === 'string' ? old.group : '',
    batch: isObject(old.batch) ? old.batch : undefined,
    cancellationThreshold: isObject(old.cancellationThreshold) ? old.cancellationThreshold : undefined,
    data: list(old.data).map((op) => defined({
      type: String(op.typeAsSent ?? op.type),
      target: op.target as string | undefined,
      path: op.path as string | undefined,
      value: op.value,
      template: op.template as string | undefined,
      manifest: op.manifest as string | undefined,
    })),
    organizations: Array.isArray(old.organizations) ? (old.organizations as string[]) : undefined,
  });
}
