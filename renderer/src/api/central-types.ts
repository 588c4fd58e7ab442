/**
 * IoT Central's shapes as the UI uses them, from the types generated from Microsoft's OpenAPI file for the api-version
 * the UI speaks (`npm run gen:types`). Type-only: nothing of electron/ is bundled into the renderer.
 */
import type { components } from '../../../electron/api/central/generated/2022-07-31';

type Schemas = components['schemas'];

/** `T` as Fleetlab answers it: the spec marks read-only members optional, Fleetlab always sends the members `K`. */
type Answered<T, K extends keyof T> = Omit<T, K> & { readonly [P in K]-?: NonNullable<T[P]> };

/** One page of an IoT Central list. */
export interface Collection<T> {
  value: T[];
  nextLink?: string;
}

export type Device = Answered<Schemas['Device'], 'id' | 'etag' | 'displayName' | 'enabled' | 'provisioned' | 'simulated'>;
export type DeviceBody = Pick<Schemas['Device'], 'displayName' | 'template' | 'simulated'>;

// openapi-typescript turns the spec's schemaless `object` into Record<string, never>; a DTDL model holds anything.
export type DeviceTemplate = Answered<Omit<Schemas['DeviceTemplate'], 'capabilityModel'>, '@id' | 'etag'> & { capabilityModel: Record<string, unknown> };
export type DeviceTemplateBody = Omit<DeviceTemplate, '@id' | 'etag'>;

export type DeviceGroup = Answered<Schemas['DeviceGroup'], 'id'>;
export type DeviceGroupBody = Pick<Schemas['DeviceGroup'], 'displayName' | 'description' | 'filter'>;

/** The statuses Fleetlab gives a job (the spec's `status` is a free string; docs/compat.md lists these). */
export type JobStatus = 'pending' | 'running' | 'stopped' | 'complete' | 'cancelled' | 'failed';
export type CountOrPercentage = Schemas['JobBatch'];
export type Progress = Required<Schemas['JobProgress']>;

/** One operation of a job: the spec's property, cloudProperty, command and deviceTemplateMigration data in one shape. */
export type JobData = Schemas['JobData'] & Partial<Schemas['CapabilityJobData']> & Partial<Pick<Schemas['DeviceTemplateMigrationJobData'], 'template'>>;

/** The job definition PUT /api/jobs/{id} takes. */
export type JobBody = Pick<Schemas['Job'], 'displayName' | 'description' | 'group' | 'batch' | 'cancellationThreshold'> & { data: JobData[] };

export type Job = Omit<Answered<Schemas['Job'], 'id'>, 'status' | 'data' | 'progress'> & { status: JobStatus; data: JobData[]; progress?: Progress };

export type ScheduleEnd = Schemas['DateJobScheduleEnd'] | Schemas['OccurrencesJobScheduleEnd'];
export type Schedule = Omit<Schemas['JobSchedule'], 'end'> & { end?: ScheduleEnd };

export type ScheduledJob = Omit<Answered<Schemas['ScheduledJob'], 'id'>, 'schedule' | 'data'> & { schedule: Schedule; data: JobData[] };
export type ScheduledJobBody = JobBody & { schedule: Schedule };

/** The attestation an enrollment group answers with; only symmetric-key groups carry a key. */
export type EnrollmentGroup = Answered<Omit<Schemas['EnrollmentGroup'], 'attestation'>, 'id'> & {
  attestation: Schemas['GroupAttestation'] & Partial<Pick<Schemas['GroupSymmetricKeyAttestation'], 'symmetricKey'>>;
};

export type ApiToken = Answered<Schemas['ApiToken'], 'id'>;
export type ApiTokenBody = Pick<Schemas['ApiToken'], 'roles' | 'expiry'>;
export type Role = Answered<Schemas['Role'], 'id' | 'displayName'>;

/** A command's past runs (GET …/commands/{name}), newest last. */
export type CommandHistory = Collection<Record<string, unknown>>;
