import { api, queryOf } from './client';
import type { AwsExecutionPage, AwsExecutionQuery, AwsJob, AwsJobBody, AwsJobSummary, AwsTargets, RolloutConfig, RolloutCurve, StoredFile, ThingGroup } from './control-types';

const segment = encodeURIComponent;

/** AWS IoT jobs through Fleetlab's control API (/_fleetlab/aws): the browser cannot sign SigV4 for /aws. */
export const awsJobs = {
  thingGroups: async () => (await api.request<{ value: ThingGroup[] }>('GET', '/_fleetlab/aws/thing-groups')).value,
  job: (id: string) => api.request<AwsJob>('GET', `/_fleetlab/aws/jobs/${segment(id)}`),
  create: (body: AwsJobBody) => api.request<AwsJobSummary>('POST', '/_fleetlab/aws/jobs', { body }),
  // No request timeout: a large image may take longer than an API call.
  putFile: (bucket: string, file: File) =>
    api.request<StoredFile>('PUT', `/_fleetlab/aws/files/${segment(bucket)}/${segment(file.name)}`, { file, signal: new AbortController().signal }),
  cancel: (id: string, force: boolean) => api.request<AwsJobSummary>('POST', `/_fleetlab/aws/jobs/${segment(id)}/cancel`, { body: { force } }),
  dryRun: (targets: AwsTargets, rollout?: RolloutConfig) =>
    api.request<RolloutCurve>('POST', '/_fleetlab/aws/jobs/dry-run', { body: { ...targets, ...(rollout && { jobExecutionsRolloutConfig: rollout }) } }),
  executions: (id: string, { offset, limit, status, search }: AwsExecutionQuery) =>
    api.request<AwsExecutionPage>('GET', `/_fleetlab/aws/jobs/${segment(id)}/executions?${queryOf({ offset, limit, status, search })}`),
};
