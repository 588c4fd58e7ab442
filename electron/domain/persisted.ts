import { openDataDirStore, type DataDirStoreOptions, type SchemaDefinition } from '../store/data-dir-store.js';
import {
  DEFAULT_BEHAVIOR,
  type ApiTokenRecord,
  type AttestationRecord,
  type BucketRecord,
  type DeviceGroupRecord,
  type DeviceRecord,
  type DeviceRelationshipRecord,
  type DeviceTemplateRecord,
  type DeviceTwinRecord,
  type FleetRecord,
  type JobTemplateRecord,
  type OrganizationRecord,
  type SimulationRecord,
  type ThingGroupRecord,
  type ThingRecord,
} from '../store/records.js';
import { migrateJobSpecs } from '../store/migrations/job-specs.js';
import { NoDurability, Store, type Durability } from '../store/store.js';
import type { AwsJobRecord } from './aws/aws-job-model.js';
import { memberKey, type BillingGroupRecord, type CertificateRecord, type ThingGroupMemberRecord, type ThingTypeRecord } from './aws/registry-records.js';
import type { CentralJobRecord, ScheduledJobRecord } from './central/central-records.js';
import type { JobRecord } from './jobs/job-model.js';

/** What Fleetlab keeps: every collection's record type, and the singletons. */
export interface FleetlabSchema {
  collections: {
    apiTokens: ApiTokenRecord;
    deviceTemplates: DeviceTemplateRecord;
    /** Individually created devices, and edits of fleet devices (same id as the fleet's). */
    devices: DeviceRecord;
    /** Fleet devices that were deleted, by id. */
    deletedFleetDevices: { id: string };
    deviceGroups: DeviceGroupRecord;
    organizations: OrganizationRecord;
    /** Property writes and command invocations made through the devices API, per device id. */
    deviceTwins: DeviceTwinRecord;
    /** Individual DPS attestations, per device id. */
    deviceAttestations: AttestationRecord;
    /** Per device id, by relationship id. */
    deviceRelationships: Record<string, DeviceRelationshipRecord>;
    /** Every job, whichever API made it, as the engine runs it. */
    jobs: JobRecord;
    /** The IoT Central side of the jobs its API (or a scheduled job) made: the client's echo. */
    centralJobs: CentralJobRecord;
    scheduledJobs: ScheduledJobRecord;
    /** AWS IoT registry data per thing name (device id), for things that have any. */
    things: ThingRecord;
    thingGroups: ThingGroupRecord;
    /** Static thing group memberships, keyed `${group}/${thing}`. */
    thingGroupMembers: ThingGroupMemberRecord;
    /** AWS IoT properties of thing types (each is the device template of the same id). */
    thingTypes: ThingTypeRecord;
    billingGroups: BillingGroupRecord;
    jobTemplates: JobTemplateRecord;
    /** The AWS IoT side of jobs created through /aws; the run is the engine's job of the same id. */
    awsJobs: AwsJobRecord;
    /** Buckets of the local S3 by name; their objects are files under <dataDir>/s3, not records. */
    s3Buckets: BucketRecord;
    /** AWS IoT device certificates by certificate id, with the things they are attached to. */
    certificates: CertificateRecord;
  };
  singletons: {
    simulation: SimulationRecord;
    /** Bulk device ranges, in creation order. */
    fleets: FleetRecord[];
  };
}

export type AppStore = Store<FleetlabSchema>;

export const SCHEMA_VERSION = 4;

export const FLEETLAB_SCHEMA: SchemaDefinition<FleetlabSchema> = {
  schemaVersion: SCHEMA_VERSION,
  collections: [
    'apiTokens',
    'deviceTemplates',
    'devices',
    'deletedFleetDevices',
    'deviceGroups',
    'organizations',
    'deviceTwins',
    'deviceAttestations',
    'deviceRelationships',
    'jobs',
    'centralJobs',
    'scheduledJobs',
    'things',
    'thingGroups',
    'thingGroupMembers',
    'thingTypes',
    'billingGroups',
    'jobTemplates',
    'awsJobs',
    's3Buckets',
    // Added without a version step: a data file from before has no certificates, which reads as an empty collection.
    'certificates',
  ],
  singletons: {
    simulation: () => ({ seed: 1, timeScale: 1, defaults: structuredClone(DEFAULT_BEHAVIOR) }),
    fleets: () => [],
  },
  migrations: [
    {
      to: 2,
      // Deleted fleet devices were one list, rewritten whole on each deletion; now a collection by id.
      up: ({ deletedFleetDevices, ...rest }) => ({
        ...rest,
        deletedFleetDevices: Object.fromEntries((Array.isArray(deletedFleetDevices) ? (deletedFleetDevices as string[]) : []).map((id) => [id, { id }])),
      }),
    },
    {
      to: 3,
      // Each thing group held its members as one list, rewritten whole on each add; now one record per membership.
      up: ({ thingGroups, ...rest }) => {
        // Without a prototype: a group named "__proto__" is a key like any other.
        const groups: Record<string, unknown> = Object.create(null);
        const members: Record<string, ThingGroupMemberRecord> = Object.create(null);
        for (const [name, record] of Object.entries(isObject(thingGroups) ? thingGroups : {})) {
          const { things, ...group } = record as { things?: unknown };
          groups[name] = group;
          for (const thing of Array.isArray(things) ? (things as string[]) : []) members[memberKey(name, thing)] = { group: name, thing };
        }
        return { ...rest, thingGroups: groups, thingGroupMembers: members };
      },
    },
    { to: 4, up: migrateJobSpecs },
  ],
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function openFleetlabStore(dataDir: string, options?: DataDirStoreOptions): Promise<AppStore> {
  return openDataDirStore(dataDir, FLEETLAB_SCHEMA, options);
}

/** An empty store that keeps nothing on disk (tests); `durability` can simulate a failing disk. */
export function memoryStore(durability: Durability = new NoDurability()): AppStore {
  return new Store<FleetlabSchema>(FLEETLAB_SCHEMA, { collections: new Map(), singletons: new Map() }, durability);
}
