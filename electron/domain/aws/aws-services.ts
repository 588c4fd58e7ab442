import type { Supervisor } from '../background.js';
import type { DeviceServices } from '../devices/device-services.js';
import type { JobEngine } from '../jobs/job-engine.js';
import type { AppStore } from '../persisted.js';
import type { SimulationClock } from '../simulation-clock.js';
import { AgentExecutions } from './agent-executions.js';
import { AwsJobExecutions } from './aws-job-executions.js';
import { AwsJobs } from './aws-jobs.js';
import { BillingGroups } from './billing-groups.js';
import { ResourceTags } from './resource-tags.js';
import { JobTemplates } from './job-templates.js';
import { ThingGroupMembers } from './thing-group-members.js';
import { MembershipChanges } from '../groups/membership-changes.js';
import { ThingGroups } from './thing-groups.js';
import { ThingSearch } from './thing-search.js';
import { ThingTypes } from './thing-types.js';
import { Things } from './things.js';

/** The AWS IoT registry and jobs, over the same devices and job engine as IoT Central's. */
export interface AwsServices {
  things: Things;
  thingGroups: ThingGroups;
  thingTypes: ThingTypes;
  billingGroups: BillingGroups;
  tags: ResourceTags;
  search: ThingSearch;
  jobTemplates: JobTemplates;
  jobs: AwsJobs;
  executions: AwsJobExecutions;
  /** The jobs data plane that external things' agents use. */
  agents: AgentExecutions;
}

/** `background` runs the data plane's timeouts, logging their failures. */
export function createAwsServices(
  store: AppStore,
  clock: SimulationClock,
  devices: DeviceServices,
  engine: JobEngine,
  background: Supervisor,
): AwsServices {
  const members = new ThingGroupMembers(store);
  const things = new Things(store, devices.devices, devices.templates, members);
  const thingGroups = new ThingGroups(store, devices.devices.index, things, members, clock, new MembershipChanges(background), background);
  const thingTypes = new ThingTypes(store, devices.templates, clock);
  const billingGroups = new BillingGroups(store, things, clock);
  const jobTemplates = new JobTemplates(store, clock);
  const jobs = new AwsJobs(store, engine, things, thingGroups, jobTemplates, clock);
  const executions = new AwsJobExecutions(store, engine, jobs, things, clock);
  const agents = new AgentExecutions(store, engine, jobs, executions, things, clock, background);
  const tags = new ResourceTags(store, { things, thingGroups, billingGroups, thingTypes, jobs, jobTemplates });
  const search = new ThingSearch(store, devices.devices.index, things, members);
  return { things, thingGroups, thingTypes, billingGroups, tags, search, jobTemplates, jobs, executions, agents };
}
