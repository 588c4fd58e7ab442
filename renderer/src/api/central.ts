import { api } from './client';
import type {
  ApiToken,
  ApiTokenBody,
  Collection,
  CommandHistory,
  Device,
  DeviceBody,
  DeviceGroup,
  DeviceGroupBody,
  DeviceTemplate,
  DeviceTemplateBody,
  EnrollmentGroup,
  Job,
  JobBody,
  Role,
  ScheduledJob,
  ScheduledJobBody,
} from './central-types';

/** The api-version the UI itself uses on /api. */
export const API_VERSION = '2022-07-31';

const path = (resource: string) => `/api${resource}${resource.includes('?') ? '&' : '?'}api-version=${API_VERSION}`;
const segment = encodeURIComponent;

/** Every page of an IoT Central list, following nextLink. */
async function all<T>(resource: string): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined = path(resource);
  while (next) {
    const page: Collection<T> = await api.request<Collection<T>>('GET', next);
    items.push(...page.value);
    next = page.nextLink ? new URL(page.nextLink).pathname + new URL(page.nextLink).search : undefined;
  }
  return items;
}

/** The IoT Central REST API (/api), as any documented client calls it. */
export const central = {
  device: (id: string) => api.request<Device>('GET', path(`/devices/${segment(id)}`)),
  putDevice: (id: string, body: DeviceBody) => api.request<Device>('PUT', path(`/devices/${segment(id)}`), { body }),
  deviceProperties: (id: string) => api.request<Record<string, unknown>>('GET', path(`/devices/${segment(id)}/properties`)),
  /** `command` is `name` or `component.name`. */
  commandHistory: (id: string, command: string) => {
    const [component, name] = command.includes('.') ? command.split('.', 2) : [undefined, command];
    const resource = component
      ? `/devices/${segment(id)}/components/${segment(component)}/commands/${segment(name!)}`
      : `/devices/${segment(id)}/commands/${segment(name!)}`;
    return api.request<CommandHistory>('GET', path(resource));
  },

  templates: () => all<DeviceTemplate>('/deviceTemplates'),
  putTemplate: (id: string, body: DeviceTemplateBody) => api.request<DeviceTemplate>('PUT', path(`/deviceTemplates/${segment(id)}`), { body }),

  groups: () => all<DeviceGroup>('/deviceGroups'),
  putGroup: (id: string, body: DeviceGroupBody) => api.request<DeviceGroup>('PUT', path(`/deviceGroups/${segment(id)}`), { body }),
  deleteGroup: (id: string) => api.request<void>('DELETE', path(`/deviceGroups/${segment(id)}`)),

  job: (id: string) => api.request<Job>('GET', path(`/jobs/${segment(id)}`)),
  createJob: (id: string, body: JobBody) => api.request<Job>('PUT', path(`/jobs/${segment(id)}`), { body }),
  stopJob: (id: string) => api.request<void>('POST', path(`/jobs/${segment(id)}/stop`)),
  resumeJob: (id: string) => api.request<void>('POST', path(`/jobs/${segment(id)}/resume`)),
  rerunJob: (id: string, rerunId: string) => api.request<Job>('PUT', path(`/jobs/${segment(id)}/rerun/${segment(rerunId)}`)),

  scheduledJobs: () => all<ScheduledJob>('/scheduledJobs'),
  createScheduledJob: (id: string, body: ScheduledJobBody) => api.request<ScheduledJob>('PUT', path(`/scheduledJobs/${segment(id)}`), { body }),
  setScheduledJobEnabled: (id: string, enabled: boolean) =>
    api.request<ScheduledJob>('PATCH', path(`/scheduledJobs/${segment(id)}`), { body: { enabled } }),
  deleteScheduledJob: (id: string) => api.request<void>('DELETE', path(`/scheduledJobs/${segment(id)}`)),
  scheduledJobInstances: (id: string) => all<Job>(`/scheduledJobs/${segment(id)}/jobs`),

  enrollmentGroups: () => all<EnrollmentGroup>('/enrollmentGroups'),

  tokens: () => all<ApiToken>('/apiTokens'),
  roles: () => all<Role>('/roles'),
  createToken: (id: string, body: ApiTokenBody) => api.request<ApiToken>('PUT', path(`/apiTokens/${segment(id)}`), { body }),
  revokeToken: (id: string) => api.request<void>('DELETE', path(`/apiTokens/${segment(id)}`)),
};
