import { api } from '../../../lib/api';

/** The api-version the job screens use on /api. */
export const API_VERSION = '2022-07-31';
const central = (path: string) => `/api${path}${path.includes('?') ? '&' : '?'}api-version=${API_VERSION}`;
const segment = encodeURIComponent;

export type JobStatus = 'pending' | 'running' | 'stopped' | 'complete' | 'cancelled' | 'failed';
export type DeviceStatus = 'pending' | 'completed' | 'failed';
export type CountOrPercentage = { type: 'number' | 'percentage'; value: number };

export interface Progress {
  total: number;
  completed: number;
  failed: number;
  pending: number;
}

/** A job as the `jobs` event summarises it. */
export interface JobSummary {
  id: string;
  displayName?: string;
  status: JobStatus;
  progress?: Progress;
  start?: string;
  end?: string;
  failure?: string;
  /** Which API created the job; AWS IoT jobs also carry their AWS status. */
  dialect?: 'central' | 'aws';
  awsStatus?: 'SCHEDULED' | 'IN_PROGRESS' | 'CANCELED' | 'COMPLETED';
  /** The job whose failed devices this rerun targets. */
  rerunOf?: string;
}

export interface BatchCounts {
  completed: number;
  failed: number;
  pending: number;
}

/** The `job` event: one job's summary, per-batch counts and the simulated time it was taken at. */
export interface JobProgressEvent extends JobSummary {
  at: string;
  batchSize: number;
  batchCount: number;
  batches: BatchCounts[];
}

export interface JobData {
  type: string;
  target?: string;
  path?: string;
  value?: unknown;
  template?: string;
}

/** The IoT Central job definition as PUT /api/jobs/{id} takes it. */
export interface JobBody {
  displayName?: string;
  description?: string;
  group: string;
  batch?: CountOrPercentage;
  cancellationThreshold?: CountOrPercentage & { batch?: boolean };
  data: JobData[];
}

export interface Job extends JobBody {
  id: string;
  /** Set on the runs of a scheduled job. */
  scheduledJobId?: string;
  status: JobStatus;
  start?: string;
  end?: string;
  progress?: Progress;
}

export interface Schedule {
  start: string;
  recurrence?: 'daily' | 'weekly' | 'monthly';
  end?: { type: 'date'; date: string } | { type: 'occurrences'; occurrences: number };
}

export interface JobDevice {
  id: string;
  status: DeviceStatus;
  error?: string;
}

export interface DevicePage {
  total: number;
  matched: number;
  devices: JobDevice[];
}

export interface DeviceQuery {
  offset: number;
  limit: number;
  status?: DeviceStatus;
  search?: string;
}

export interface Capability {
  kind: 'property' | 'command' | 'cloudProperty';
  name: string;
  component?: string;
  path: string;
  schema?: unknown;
  writable: boolean;
}

/** How many devices and batches a job on a group would have now. */
export interface DryRun {
  devices: number;
  batchSize: number;
  batchCount: number;
}

/** A job's completions and failures over simulated time; `batches`: times spread over its batches, not recorded per device. */
export interface OutcomeHistory {
  basis: 'recorded' | 'batches';
  points: { at: string; completed: number; failed: number }[];
}

export interface NamedItem {
  id: string;
  displayName?: string;
}

export const jobsApi = {
  get: (id: string) => api.request<Job>('GET', central(`/jobs/${segment(id)}`)),
  create: (id: string, body: JobBody) => api.request<Job>('PUT', central(`/jobs/${segment(id)}`), { body }),
  schedule: (id: string, body: JobBody & { schedule: Schedule }) =>
    api.request<unknown>('PUT', central(`/scheduledJobs/${segment(id)}`), { body }),
  stop: (id: string) => api.request<void>('POST', central(`/jobs/${segment(id)}/stop`)),
  resume: (id: string) => api.request<void>('POST', central(`/jobs/${segment(id)}/resume`)),
  rerun: (id: string, rerunId: string) => api.request<Job>('PUT', central(`/jobs/${segment(id)}/rerun/${segment(rerunId)}`)),

  devices(id: string, query: DeviceQuery, signal?: AbortSignal): Promise<DevicePage> {
    const params = new URLSearchParams({ offset: String(query.offset), limit: String(query.limit) });
    if (query.status) params.set('status', query.status);
    if (query.search) params.set('search', query.search);
    return api.request<DevicePage>('GET', `/_fleetlab/jobs/${segment(id)}/devices?${params}`, { signal });
  },

  outcomes: (id: string) => api.request<OutcomeHistory>('GET', `/_fleetlab/jobs/${segment(id)}/outcomes`),

  dryRun: (group: string, batch?: CountOrPercentage) =>
    api.request<DryRun>('POST', '/_fleetlab/jobs/dry-run', {
      body: batch ? { group, batch } : { group },
    }),

  capabilities: async (templateId: string) =>
    (await api.request<{ value: Capability[] }>('GET', `/_fleetlab/templates/${segment(templateId)}/capabilities`)).value,

  groups: async () =>
    (await api.request<{ value: NamedItem[] }>('GET', central('/deviceGroups'))).value,

  templates: async () =>
    (await api.request<{ value: (NamedItem & { '@id': string })[] }>('GET', central('/deviceTemplates'))).value.map((t) => ({
      id: t['@id'],
      displayName: t.displayName,
    })),

  /** Live summaries of every job, and with `jobId` that job's per-batch progress. */
  events: (jobId?: string) => api.events(`/_fleetlab/events${jobId === undefined ? '' : `?job=${segment(jobId)}`}`),
};
