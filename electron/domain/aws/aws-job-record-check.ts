const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= 8.64e15;
const isStringList = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string');
const optional = (value: unknown, check: (present: unknown) => boolean) => value === undefined || check(value);

/**
 * What makes an AWS job record from outside (a snapshot's data.awsJobs) one the AWS APIs cannot show, or undefined
 * when its members have the types they read: times as ms, target ARNs and thing groups as strings, settings an object.
 */
export function awsJobRecordProblem(record: Record<string, unknown>): string | undefined {
  for (const time of ['createdAt', 'lastUpdatedAt'] as const) if (!isTime(record[time])) return `${time} must be a time in ms`;
  for (const list of ['targets', 'thingGroups'] as const) if (!isStringList(record[list])) return `${list} must be a list of strings`;
  if (record.targetSelection !== 'SNAPSHOT' && record.targetSelection !== 'CONTINUOUS') return 'targetSelection must be SNAPSHOT or CONTINUOUS';
  if (typeof record.document !== 'string') return 'document must be a string';
  if (!isObject(record.settings)) return 'settings must be an object';
  for (const text of ['documentBeforeSubstitution', 'description', 'jobTemplateArn', 'namespaceId', 'reasonCode', 'comment'] as const) {
    if (!optional(record[text], (value) => typeof value === 'string')) return `${text} must be a string`;
  }
  for (const map of ['documentParameters', 'agentExecutions', 'download'] as const) if (!optional(record[map], isObject)) return `${map} must be an object`;
  if (!optional(record.tags, Array.isArray)) return 'tags must be a list';
  if (!optional(record.forceCanceled, (value) => typeof value === 'boolean')) return 'forceCanceled must be true or false';
  return undefined;
}
