import { api } from '../../lib/api';

/** The api-version the UI itself uses on /api. */
const VERSION = 'api-version=2022-07-31';
const central = (path: string) => `/api${path}${path.includes('?') ? '&' : '?'}${VERSION}`;
const segment = encodeURIComponent;

export interface Behavior {
  propertyFailureRate: number;
  commandFailureRate: number;
  offlineRate: number;
  latencyMs: { min: number; max: number };
  commandTimeoutMs: number;
}

export interface BehaviorView {
  behavior: Partial<Behavior>;
  effective: Behavior;
}

export interface DeviceBehaviorView extends BehaviorView {
  online: boolean | null;
}

export interface DeviceRow {
  id: string;
  displayName: string;
  template?: string;
  enabled: boolean;
  simulated: boolean;
  online: boolean | null;
  behaviorOverridden: boolean;
}

/** The Devices screen's filter, as /_fleetlab/devices takes it. */
export interface DeviceQuery {
  /** The start of a device id or name. */
  search?: string;
  template?: string;
  connection?: 'online' | 'offline' | 'profile';
  simulated?: boolean;
  order?: 'oldest' | 'newest';
}

export interface FleetSummary {
  devices: number;
  setOffline: number;
  setOnline: number;
  templates: number;
  groups: number;
  fleets: number;
}

export interface DeviceTemplate {
  '@id': string;
  '@type': string[];
  etag: string;
  displayName?: string;
  description?: string;
  capabilityModel: Record<string, unknown>;
}

export interface DeviceGroup {
  id: string;
  displayName: string;
  description?: string;
  filter: string;
}

export interface ScheduledJob {
  id: string;
  displayName?: string;
  description?: string;
  group: string;
  enabled?: boolean;
  completed?: boolean;
  schedule: { start: string; recurrence?: string; end?: { type: string; date?: string; occurrences?: number } };
  etag?: string;
}

export interface JobSummary {
  id: string;
  displayName?: string;
  status?: string;
  group: string;
  start?: string;
  end?: string;
  progress?: { total: number; pending: number; completed: number; failed: number };
}

export interface ApiToken {
  id: string;
  roles: { role: string; organization?: string }[];
  expiry?: string;
  token?: string;
}

export interface Role {
  id: string;
  displayName: string;
}

export interface Simulation {
  seed: number;
  timeScale: number;
  defaults: Behavior;
  now: string;
}

export interface RequestSummary {
  id: number;
  time: string;
  method: string;
  url: string;
  status: number;
  durationMs: number;
  source: 'ui' | 'client';
}

export interface CapturedBody {
  text: string;
  truncated: boolean;
}

export interface LoggedRequest extends RequestSummary {
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  requestBody: CapturedBody;
  responseBody: CapturedBody;
}

interface List<T> {
  value: T[];
  nextLink?: string;
}

/** Every page of an IoT Central list, following nextLink. */
async function all<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined = central(path);
  while (next) {
    const page: List<T> = await api.request<List<T>>('GET', next);
    items.push(...page.value);
    next = page.nextLink ? new URL(page.nextLink).pathname + new URL(page.nextLink).search : undefined;
  }
  return items;
}

export const fleetApi = {
  summary: () => api.request<FleetSummary>('GET', '/_fleetlab/fleet/summary'),
  devicePage: (offset: number, limit: number, query: DeviceQuery = {}, signal?: AbortSignal) => {
    const params = new URLSearchParams({ offset: String(offset), limit: String(limit) });
    for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, String(value));
    return api.request<{ total: number; matched: number; offset: number; devices: DeviceRow[] }>('GET', `/_fleetlab/devices?${params}`, { signal });
  },
  addFleet: (body: { template: string; count: number; idPrefix: string }) =>
    api.request<{ count: number; firstId: string; lastId: string; durationMs: number }>('POST', '/_fleetlab/fleet', { body }),
  device: (id: string) => api.request<Omit<DeviceRow, 'online' | 'behaviorOverridden'>>('GET', central(`/devices/${segment(id)}`)),
  putDevice: (id: string, body: { displayName?: string; template?: string; simulated?: boolean }) =>
    api.request<DeviceRow>('PUT', central(`/devices/${segment(id)}`), { body }),
  deviceProperties: (id: string) => api.request<Record<string, unknown>>('GET', central(`/devices/${segment(id)}/properties`)),
  commandHistory: (id: string, path: string) => {
    const [component, name] = path.includes('.') ? path.split('.', 2) : [undefined, path];
    const url = component ? `/devices/${segment(id)}/components/${segment(component)}/commands/${segment(name!)}` : `/devices/${segment(id)}/commands/${segment(name!)}`;
    return api.request<{ value: Record<string, unknown>[] }>('GET', central(url));
  },
  deviceBehavior: (id: string) => api.request<DeviceBehaviorView>('GET', `/_fleetlab/devices/${segment(id)}/behavior`),
  setDeviceBehavior: (id: string, body: Partial<Behavior> & { online?: boolean | null }) =>
    api.request<DeviceBehaviorView>('PUT', `/_fleetlab/devices/${segment(id)}/behavior`, { body }),

  templates: () => all<DeviceTemplate>('/deviceTemplates'),
  putTemplate: (id: string, body: Omit<DeviceTemplate, '@id' | 'etag'>) =>
    api.request<DeviceTemplate>('PUT', central(`/deviceTemplates/${segment(id)}`), { body }),
  templateBehavior: (id: string) => api.request<BehaviorView>('GET', `/_fleetlab/templates/${segment(id)}/behavior`),
  setTemplateBehavior: (id: string, body: Partial<Behavior>) =>
    api.request<BehaviorView>('PUT', `/_fleetlab/templates/${segment(id)}/behavior`, { body }),

  groups: () => all<DeviceGroup>('/deviceGroups'),
  putGroup: (id: string, body: Omit<DeviceGroup, 'id'>) => api.request<DeviceGroup>('PUT', central(`/deviceGroups/${segment(id)}`), { body }),
  deleteGroup: (id: string) => api.request<void>('DELETE', central(`/deviceGroups/${segment(id)}`)),
  previewGroup: (filter: string, signal?: AbortSignal) =>
    api.request<{ count: number; sample: string[] }>('POST', '/_fleetlab/groups/preview', { body: { filter }, signal }),

  jobs: () => all<JobSummary>('/jobs'),
  scheduledJobs: () => all<ScheduledJob>('/scheduledJobs'),
  setScheduledJobEnabled: (id: string, enabled: boolean) =>
    api.request<ScheduledJob>('PATCH', central(`/scheduledJobs/${segment(id)}`), { body: { enabled } }),
  deleteScheduledJob: (id: string) => api.request<void>('DELETE', central(`/scheduledJobs/${segment(id)}`)),
  nextRuns: () => api.request<Record<string, string | null>>('GET', '/_fleetlab/scheduled-jobs/next-runs'),
  scheduledJobInstances: (id: string) => all<JobSummary>(`/scheduledJobs/${segment(id)}/jobs`),

  simulation: () => api.request<Simulation>('GET', '/_fleetlab/simulation'),
  setSimulation: (body: Partial<Omit<Simulation, 'now'>>) => api.request<Simulation>('PUT', '/_fleetlab/simulation', { body }),

  tokens: () => all<ApiToken>('/apiTokens'),
  roles: () => all<Role>('/roles'),
  createToken: (id: string, body: { roles: { role: string }[]; expiry?: string }) =>
    api.request<ApiToken>('PUT', central(`/apiTokens/${segment(id)}`), { body }),
  revokeToken: (id: string) => api.request<void>('DELETE', central(`/apiTokens/${segment(id)}`)),

  requests: (offset: number, limit: number, includeUi: boolean) =>
    api.request<{ total: number; capacity: number; requests: RequestSummary[] }>(
      'GET',
      `/_fleetlab/requests?offset=${offset}&limit=${limit}&includeUi=${includeUi}`,
    ),
  request: (id: number) => api.request<LoggedRequest>('GET', `/_fleetlab/requests/${id}`),
  clearRequests: () => api.request<void>('DELETE', '/_fleetlab/requests'),
};

/** An API failure in words for the field or form it concerns. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
