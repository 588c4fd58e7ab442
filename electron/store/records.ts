/** Record types of Fleetlab's main data file (the collections are listed in domain/persisted.ts). Bulk per-device state lives in per-job files. */

export interface RoleAssignmentRecord {
  role: string;
  organization?: string;
}

export interface ApiTokenRecord {
  id: string;
  /** sha256 of the whole Authorization header value, hex. */
  hash: string;
  roles: RoleAssignmentRecord[];
  expiry?: string;
}

export interface BehaviorRecord {
  propertyFailureRate: number;
  commandFailureRate: number;
  offlineRate: number;
  /** Uniform in [min, max]; with mean and p99, log-normal with that mean and 99th percentile, kept within [min, max]. */
  latencyMs: { min: number; max: number; mean?: number; p99?: number };
  commandTimeoutMs: number;
  /** Simulated ms a device takes per MiB of a job's file download (AWS presigned URLs); absent in older data: 0. */
  downloadMsPerMb?: number;
  /** Chance per MiB that a device's file download fails (the job execution then FAILS, and may be retried). */
  downloadFailureRatePerMb?: number;
}

export interface SimulationRecord {
  seed: number;
  timeScale: number;
  defaults: BehaviorRecord;
}

export interface DeviceTemplateRecord {
  id: string;
  etag: string;
  types: string[];
  displayName?: string;
  description?: string;
  capabilityModel: Record<string, unknown>;
  /** Top-level fields the spec does not name (`@context`, …), kept as the client sent them and echoed back. */
  echoed?: Record<string, unknown>;
  behavior?: Partial<BehaviorRecord>;
}

export interface DeviceRecord {
  id: string;
  etag: string;
  displayName: string;
  template?: string;
  enabled: boolean;
  simulated: boolean;
  organizations?: string[];
  behavior?: Partial<BehaviorRecord>;
  /** Explicit connectivity toggle; absent means the behaviour profile's offlineRate decides. */
  online?: boolean;
  /** Not simulated: a real device agent takes its AWS IoT job executions through the jobs data plane. */
  external?: boolean;
  /** Registered through DPS (or connected to the hub over MQTT): a real device, not the simulator, answers its jobs. */
  provisioned?: boolean;
}

/** Devices `<prefix>-<n>` for n = first .. first+count-1, created in bulk and stored as one range. */
export interface FleetRecord {
  prefix: string;
  first: number;
  count: number;
  template: string;
  simulated: boolean;
}

export interface DeviceGroupRecord {
  id: string;
  etag: string;
  displayName: string;
  description?: string;
  filter: string;
  organizations?: string[];
}

export interface OrganizationRecord {
  id: string;
  displayName: string;
  parent?: string;
}

/** The last state of one writable or cloud property of a device, keyed by `name` or `component.name`. */
export interface PropertyStateRecord {
  /** The reported (acknowledged) value; absent until the device accepted a write. */
  value?: unknown;
  desiredValue: unknown;
  desiredVersion: number;
  ackCode?: number;
  ackVersion?: number;
  ackDescription?: string;
  lastUpdateTime: string;
}

/** The most recent invocation of one command of a device. */
export interface CommandRecord {
  id: string;
  /** Simulated ms the command ran at (absent in records stored before it was kept); not part of IoT Central's answer. */
  at?: number;
  request?: unknown;
  response?: unknown;
  responseCode?: number;
  connectionTimeout?: number;
  responseTimeout?: number;
}

export interface DeviceTwinRecord {
  properties: Record<string, PropertyStateRecord>;
  /** Keyed by `name` or `component.name`. */
  commands: Record<string, CommandRecord>;
  /** The IoT Hub twin of a real device, as it reads and patches it over MQTT. */
  hub?: HubTwinRecord;
}

/**
 * A real device's twin: the desired document (a component's properties nested under its name) and the reported one
 * as the device sent it, each with its version. How IoT Hub spells them on the wire is mqtt/iothub/twin-wire.ts's.
 */
export interface HubTwinRecord {
  desired: Record<string, unknown>;
  desiredVersion: number;
  reported: Record<string, unknown>;
  reportedVersion: number;
}

/** How a device proves its identity to DPS, as IoT Central's Attestation discriminator has it. */
export type AttestationRecord =
  | { type: 'symmetricKey'; symmetricKey: { primaryKey: string; secondaryKey: string } }
  | { type: 'x509'; x509: { clientCertificates: { primary: X509CertificateRecord; secondary?: X509CertificateRecord } } }
  | { type: 'tpm'; tpm: { endorsementKey: string } };

export interface X509CertificateRecord {
  certificate: string;
  info: { sha1Thumbprint: string };
}

/** A gateway (source) to downstream device (target) link, stored under the device whose path created it. */
export interface DeviceRelationshipRecord {
  id: string;
  source: string;
  target: string;
}

/** AWS IoT registry data of a thing (a device): attributes and the registry version. */
export interface ThingRecord {
  attributes: Record<string, string>;
  version: number;
  billingGroup?: string;
  tags?: { Key: string; Value?: string }[];
}

/** An AWS IoT static thing group; its members are `thingGroupMembers` records. */
export interface ThingGroupRecord {
  name: string;
  id: string;
  description?: string;
  attributes?: Record<string, string>;
  parent?: string;
  tags?: { Key: string; Value?: string }[];
  /** ms epoch */
  createdAt: number;
  version: number;
  /** A dynamic group's fleet-indexing query, which decides its members. */
  query?: { queryString: string; queryVersion: string; indexName: string };
}

/** An AWS IoT job template: the job document and configuration jobs created from it start with. */
export interface JobTemplateRecord {
  id: string;
  description: string;
  document?: string;
  documentSource?: string;
  /** Rollout, abort, timeout, retry, presigned-URL, maintenance-window and package settings, as sent. */
  settings: Record<string, unknown>;
  tags?: { Key: string; Value?: string }[];
  createdAt: number;
}

export const DEFAULT_BEHAVIOR: BehaviorRecord = {
  propertyFailureRate: 0,
  commandFailureRate: 0,
  offlineRate: 0,
  latencyMs: { min: 50, max: 500 },
  commandTimeoutMs: 30_000,
  downloadMsPerMb: 100,
  downloadFailureRatePerMb: 0,
};

/** A bucket of the local S3; a snapshot names it, its objects stay files in the data dir. */
export interface BucketRecord {
  name: string;
  /** ms epoch on the simulation clock */
  createdAt: number;
}
