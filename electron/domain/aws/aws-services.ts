import type { Supervisor } from '../background.js';
import type { DeviceServices } from '../devices/device-services.js';
import type { JobEngine } from '../jobs/job-engine.js';
import type { AppStore } from '../persisted.js';
import type { SimulationClock } from '../simulation-clock.js';
import { AgentExecutions } from './agent-executions.js';
import { AwsJobExecutions } from './aws-job-executions.js';
import { AwsJobs } from './aws-jobs.js';
import { BillingGroups } from './billing-groups.js';
import { Certificates } from './certificates.js';
import { ConnectedThings } from './connected-things.js';
import type { Issuer } from '../../tls/certificates.js';
import { ResourceTags } from './resource-tags.js';
import { JobTemplates } from './job-templates.js';
import { JobDocuments } from './job-documents.js';
import type { LocalS3 } from '../s3/local-s3.js';
import type { ObjectUrlSigner } from '../s3/object-urls.js';
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
  /** Device certificates from Fleetlab's CA and the things they are attached to. */
  certificates: Certificates;
  /** Things whose agents are connected over MQTT now. */
  connected: ConnectedThings;
}

/** `background` runs the data plane's timeouts, logging their failures; `files` is where job documents and OTA files live. */
export function createAwsServices(
  store: AppStore,
  clock: SimulationClock,
  devices: DeviceServices,
  engine: JobEngine,
  background: Supervisor,
  files: { s3: LocalS3; urls: ObjectUrlSigner },
  /** Signs device certificates (Fleetlab's local CA in the data dir). */
  certificateIssuer: () => Promise<Issuer>,
): AwsServices {
  const members = new ThingGroupMembers(store);
  const things = new Things(store, devices.devices, devices.templates, members);
  const thingGroups = new ThingGroups(store, devices.devices.index, things, members, clock, new MembershipChanges(background), background);
  const thingTypes = new ThingTypes(store, devices.templates, clock);
  const billingGroups = new BillingGroups(store, things, clock);
  const documents = new JobDocuments(files.s3, files.urls);
  const jobTemplates = new JobTemplates(store, clock, documents);
  const jobs = new AwsJobs(store, engine, things, thingGroups, jobTemplates, clock, documents);
  const executions = new AwsJobExecutions(store, engine, jobs, things, clock);
  const agents = new AgentExecutions(store, engine, jobs, executions, things, clock, background);
  const tags = new ResourceTags(store, { things, thingGroups, billingGroups, thingTypes, jobs, jobTemplates });
  const search = new ThingSearch(store, devices.devices.index, things, members);
  const certificates = new Certificates(store, clock, devices.devices, certificateIssuer);
  return { things, thingGroups, thingTypes, billingGroups, tags, search, jobTemplates, jobs, executions, agents, certificates, connected: new ConnectedThings() };
}
