import { api, queryOf } from './client';
import type {
  Behavior,
  BehaviorView,
  Capability,
  ConnectedDevice,
  DeviceBehaviorBody,
  DeviceBehaviorView,
  DevicePage,
  DeviceQuery,
  DryRun,
  DryRunBody,
  FleetBody,
  FleetCreated,
  FleetlabInfo,
  FleetSummary,
  GroupPreview,
  JobDevicePage,
  JobDeviceQuery,
  LoggedRequest,
  NextRuns,
  OutcomeHistory,
  RequestPage,
  Simulation,
  SimulationBody,
} from './control-types';

const segment = encodeURIComponent;
const path = (resource: string) => `/_fleetlab${resource}`;

/** Fleetlab's own API (/_fleetlab): what the UI reads and sets beyond the IoT Central API. */
export const control = {
  info: (signal?: AbortSignal) => api.request<FleetlabInfo>('GET', path('/info'), { signal }),

  /** Live summaries of every job, and with `jobId` that job's per-batch progress. */
  events: (jobId?: string) => api.events(path(`/events${jobId === undefined ? '' : `?job=${segment(jobId)}`}`)),

  connectedDevices: async () => (await api.request<{ value: ConnectedDevice[] }>('GET', path('/connected-devices'))).value,

  fleetSummary: () => api.request<FleetSummary>('GET', path('/fleet/summary')),
  addFleet: (body: FleetBody) => api.request<FleetCreated>('POST', path('/fleet'), { body }),
  devicePage: (offset: number, limit: number, query: DeviceQuery = {}, signal?: AbortSignal) =>
    api.request<DevicePage>('GET', path(`/devices?${queryOf({ offset, limit, ...query })}`), { signal }),

  deviceBehavior: (id: string) => api.request<DeviceBehaviorView>('GET', path(`/devices/${segment(id)}/behavior`)),
  setDeviceBehavior: (id: string, body: DeviceBehaviorBody) => api.request<DeviceBehaviorView>('PUT', path(`/devices/${segment(id)}/behavior`), { body }),
  templateBehavior: (id: string) => api.request<BehaviorView>('GET', path(`/templates/${segment(id)}/behavior`)),
  setTemplateBehavior: (id: string, body: Partial<Behavior>) => api.request<BehaviorView>('PUT', path(`/templates/${segment(id)}/behavior`), { body }),
  capabilities: async (templateId: string) =>
    (await api.request<{ value: Capability[] }>('GET', path(`/templates/${segment(templateId)}/capabilities`))).value,

  previewGroup: (filter: string, signal?: AbortSignal) => api.request<GroupPreview>('POST', path('/groups/preview'), { body: { filter }, signal }),
  nextRuns: () => api.request<NextRuns>('GET', path('/scheduled-jobs/next-runs')),

  jobDevices: (id: string, { offset, limit, status, search }: JobDeviceQuery, signal?: AbortSignal) =>
    api.request<JobDevicePage>('GET', path(`/jobs/${segment(id)}/devices?${queryOf({ offset, limit, status, search })}`), { signal }),
  jobOutcomes: (id: string) => api.request<OutcomeHistory>('GET', path(`/jobs/${segment(id)}/outcomes`)),
  jobDryRun: (group: string, batch?: DryRunBody['batch']) => {
    const body: DryRunBody = batch ? { group, batch } : { group };
    return api.request<DryRun>('POST', path('/jobs/dry-run'), { body });
  },

  simulation: () => api.request<Simulation>('GET', path('/simulation')),
  setSimulation: (body: SimulationBody) => api.request<Simulation>('PUT', path('/simulation'), { body }),

  requests: (offset: number, limit: number, includeUi: boolean) =>
    api.request<RequestPage>('GET', path(`/requests?${queryOf({ offset, limit, includeUi })}`)),
  request: (id: number) => api.request<LoggedRequest>('GET', path(`/requests/${id}`)),
  clearRequests: () => api.request<void>('DELETE', path('/requests')),
};
