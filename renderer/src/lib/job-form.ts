import type { CountOrPercentage, Job, JobBody, Schedule } from '../api/central-types';
import { TOKEN_VARIABLE } from './curl-command';
import { isResourceId } from './ids';

export type JobType = 'property' | 'command' | 'cloudProperty' | 'deviceTemplateMigration';
export type When = 'now' | 'once' | 'recurring';

/** Everything the New job form holds; turned into an IoT Central job (or scheduled job) body on submit. */
export interface JobForm {
  id: string;
  displayName: string;
  description: string;
  group: string;
  type: JobType;
  /** The device template whose capability is set (or, for a migration, the template to move to). */
  template: string;
  path: string;
  value: unknown;
  useBatches: boolean;
  batch: CountOrPercentage;
  useThreshold: boolean;
  threshold: CountOrPercentage & { batch: boolean };
  when: When;
  /** `<input type="datetime-local">` value, local time. */
  start: string;
  recurrence: 'daily' | 'weekly' | 'monthly';
  endKind: 'never' | 'date' | 'occurrences';
  endDate: string;
  occurrences: number;
}

export type FormField = 'id' | 'displayName' | 'group' | 'template' | 'path' | 'value' | 'batch' | 'threshold' | 'schedule' | 'form';

export function emptyForm(): JobForm {
  return {
    id: crypto.randomUUID(),
    displayName: '',
    description: '',
    group: '',
    type: 'property',
    template: '',
    path: '',
    value: undefined,
    useBatches: false,
    batch: { type: 'percentage', value: 10 },
    useThreshold: false,
    threshold: { type: 'percentage', value: 10, batch: false },
    when: 'now',
    start: '',
    recurrence: 'daily',
    endKind: 'never',
    endDate: '',
    occurrences: 5,
  };
}

/** IoT Central's "Copy": the same definition under a new id, " Copy" appended to the name. */
export function copyOf(job: Job): JobForm {
  const data = job.data[0];
  const type = (['property', 'command', 'cloudProperty', 'deviceTemplateMigration'] as const).find((t) => data?.type.toLowerCase().startsWith(t.toLowerCase())) ?? 'property';
  return {
    ...emptyForm(),
    displayName: `${job.displayName ?? job.id} Copy`,
    description: job.description ?? '',
    group: job.group,
    type,
    template: (type === 'deviceTemplateMigration' ? data?.template : data?.target) ?? '',
    path: data?.path ?? '',
    value: data?.value,
    useBatches: job.batch !== undefined,
    batch: job.batch ?? { type: 'percentage', value: 10 },
    useThreshold: job.cancellationThreshold !== undefined,
    threshold: { batch: false, ...(job.cancellationThreshold ?? { type: 'percentage', value: 10 }) },
  };
}

/** Problems the form can see before asking the API, by field. */
export function checkForm(form: JobForm, valueError: string | undefined): Partial<Record<FormField, string>> {
  const errors: Partial<Record<FormField, string>> = {};
  if (!isResourceId(form.id)) errors.id = 'Use 1 to 255 letters, digits, "-" or "_".';
  if (!form.displayName.trim()) errors.displayName = 'Give the job a name.';
  if (!form.group) errors.group = 'Choose the device group the job runs on.';
  if (!form.template) errors.template = form.type === 'deviceTemplateMigration' ? 'Choose the template to migrate to.' : 'Choose a device template.';
  if (form.type !== 'deviceTemplateMigration' && !form.path) errors.path = `Choose the ${form.type === 'command' ? 'command' : 'property'} to ${form.type === 'command' ? 'run' : 'set'}.`;
  if (valueError) errors.value = valueError;
  Object.assign(errors, rolloutErrors(form));
  if (form.when !== 'now' && !form.start) errors.schedule = 'Choose when the job runs first.';
  else if (form.when === 'once' && Date.parse(form.start) < Date.now()) errors.schedule = 'That time has passed: choose one in the future, or run the job now.';
  if (form.when === 'recurring' && form.endKind === 'date' && !form.endDate) errors.schedule = 'Choose the date the schedule ends.';
  return errors;
}

/** What is wrong with the batch size and the threshold; the dry run shows it instead of describing a job that cannot be. */
export function rolloutErrors(form: JobForm): { batch?: string; threshold?: string } {
  const errors: { batch?: string; threshold?: string } = {};
  if (form.useBatches && !(form.batch.value > 0)) errors.batch = 'A batch needs at least one device (a value above 0).';
  else if (form.useBatches && form.batch.type === 'percentage' && form.batch.value > 100) errors.batch = 'A percentage goes up to 100.';
  else if (form.useBatches && form.batch.type === 'number' && !Number.isInteger(form.batch.value)) errors.batch = 'A batch is a whole number of devices.';
  if (form.useThreshold && !(form.threshold.value >= 0)) errors.threshold = 'Enter 0 or more.';
  else if (form.useThreshold && form.threshold.type === 'percentage' && form.threshold.value > 100) errors.threshold = 'A percentage goes up to 100.';
  return errors;
}

export function toJobBody(form: JobForm): JobBody {
  const data =
    form.type === 'deviceTemplateMigration'
      ? [{ type: form.type, template: form.template }]
      : [{ type: form.type, target: form.template, path: form.path, ...(form.value !== undefined && { value: form.value }) }];
  return {
    displayName: form.displayName.trim(),
    ...(form.description.trim() && { description: form.description.trim() }),
    group: form.group,
    ...(form.useBatches && { batch: { ...form.batch } }),
    ...(form.useThreshold && { cancellationThreshold: { ...form.threshold } }),
    data,
  };
}

export function toSchedule(form: JobForm): Schedule {
  const schedule: Schedule = { start: new Date(form.start).toISOString() };
  if (form.when !== 'recurring') return schedule;
  schedule.recurrence = form.recurrence;
  if (form.endKind === 'date') schedule.end = { type: 'date', date: new Date(form.endDate).toISOString() };
  if (form.endKind === 'occurrences') schedule.end = { type: 'occurrences', occurrences: form.occurrences };
  return schedule;
}

/** Which field an API error message concerns, so that it is shown next to that field. */
export function fieldOfError(message: string): FormField {
  const rules: [RegExp, FormField][] = [
    [/cancellationThreshold|threshold/i, 'threshold'],
    [/batch/i, 'batch'],
    [/schedule|start|recurrence|occurrences/i, 'schedule'],
    [/group/i, 'group'],
    [/template|target/i, 'template'],
    [/\bvalue\b|schema|expects|must be a|not a number/i, 'value'],
    [/path|capabilit|property|command/i, 'path'],
    [/\bid\b|already exists/i, 'id'],
  ];
  return rules.find(([pattern]) => pattern.test(message))?.[1] ?? 'form';
}

/** The curl line that sends the same request, for a POSIX shell, with the user's token in $FLEETLAB_API_TOKEN. */
export function curlFor(method: string, url: string, body: unknown): string {
  const json = JSON.stringify(body).replace(/'/g, `'\\''`);
  return `curl -X ${method} '${url}' -H "Authorization: $${TOKEN_VARIABLE}" -H 'Content-Type: application/json' --data '${json}'`;
}
