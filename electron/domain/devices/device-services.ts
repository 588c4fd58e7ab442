import type { Clock } from '../clock.js';
import type { AppStore } from '../persisted.js';
import type { FilterLimits } from '../query/filter-limits.js';
import { BehaviorProfiles } from './behavior-profiles.js';
import { DeviceAttestations } from './device-attestations.js';
import { DeviceCatalog } from './device-catalog.js';
import { DeviceCredentialSource } from './device-credentials.js';
import { DeviceGroups } from './device-groups.js';
import { DeviceListing } from './device-list.js';
import { DeviceModules } from './device-modules.js';
import { DeviceRelationships } from './device-relationships.js';
import { DeviceTelemetry } from './device-telemetry.js';
import { DeviceTemplates } from './device-templates.js';
import { DeviceTwins, type JobCommandSource, type RealDeviceChannel, type ReportedPropertySource, type SingleDeviceSimulator } from './device-twins.js';
import { Organizations } from './organizations.js';

export interface DeviceServices {
  devices: DeviceCatalog;
  templates: DeviceTemplates;
  groups: DeviceGroups;
  organizations: Organizations;
  behavior: BehaviorProfiles;
  twins: DeviceTwins;
  listing: DeviceListing;
  attestations: DeviceAttestations;
  credentials: DeviceCredentialSource;
  relationships: DeviceRelationships;
  telemetry: DeviceTelemetry;
  modules: DeviceModules;
}

export interface DeviceServiceOptions {
  simulateOne: SingleDeviceSimulator;
  /** Property values the job engine set, merged into GET /properties and group filters. */
  reportedProperties?: ReportedPropertySource;
  /** Commands the job engine ran, merged into a device's command history. */
  jobCommands?: JobCommandSource;
  /** How property writes and commands reach provisioned real devices (the hub over MQTT). */
  realDevices?: RealDeviceChannel;
  /** The most devices the catalog holds (`--max-devices`); 10,000,000 unless given. */
  maxDevices?: number;
  /** How long and how deeply nested group and list filters may be; the parsers' defaults when absent. */
  filterLimits?: FilterLimits;
}

/** Builds the device-side services and wires the references between them. */
export function createDeviceServices(store: AppStore, clock: Clock, options: DeviceServiceOptions): DeviceServices {
  const devices: DeviceCatalog = new DeviceCatalog(
    store,
    { templateExists: (id) => templates.exists(id), organizationExists: (id) => organizations.exists(id) },
    { maxDevices: options.maxDevices },
  );
  const templates = new DeviceTemplates(store, (id) => devices.usesTemplate(id));
  const groups: DeviceGroups = new DeviceGroups(store, devices, (id, path) => twins.propertyValue(id, path), (id) => organizations.exists(id), options.filterLimits);
  const organizations = new Organizations(store, (id) => devices.usesOrganization(id) || groups.usesOrganization(id));
  const behavior = new BehaviorProfiles(store, devices, templates);
  const twins = new DeviceTwins(store, clock, devices, templates, behavior, options.simulateOne, options.reportedProperties, options.jobCommands, options.realDevices);
  const attestations = new DeviceAttestations(store, devices);
  return {
    devices,
    templates,
    groups,
    organizations,
    behavior,
    twins,
    listing: new DeviceListing(devices, options.filterLimits),
    attestations,
    credentials: new DeviceCredentialSource(store, attestations),
    relationships: new DeviceRelationships(store, devices),
    telemetry: new DeviceTelemetry(store, clock, devices, templates),
    modules: new DeviceModules(devices),
  };
}
