import { Behavior, TemplateBehaviorBody } from '../schema/simulation.js';
import { ANY_OBJECT, collection, COUNT, DATE_TIME, FLAG, ID, record, TEXT, TEXTS } from './record-shapes.js';

const X509_CERTIFICATE = record({ certificate: TEXT, info: record({ sha1Thumbprint: TEXT }, ['sha1Thumbprint']) }, ['certificate', 'info']);

/** Each attestation type with the member that holds its keys (IoT Central's Attestation discriminator). */
const ATTESTATION = {
  ...record({ type: { enum: ['symmetricKey', 'x509', 'tpm'] } }, ['type']),
  allOf: [
    { if: record({ type: { const: 'symmetricKey' } }, ['type']), then: record({ symmetricKey: record({ primaryKey: TEXT, secondaryKey: TEXT }, ['primaryKey', 'secondaryKey']) }, ['symmetricKey']) },
    {
      if: record({ type: { const: 'x509' } }, ['type']),
      then: record({ x509: record({ clientCertificates: record({ primary: X509_CERTIFICATE, secondary: X509_CERTIFICATE }, ['primary']) }, ['clientCertificates']) }, ['x509']),
    },
    { if: record({ type: { const: 'tpm' } }, ['type']), then: record({ tpm: record({ endorsementKey: TEXT }, ['endorsementKey']) }, ['tpm']) },
  ],
};

const PROPERTY_STATE = record(
  { desiredVersion: COUNT, ackCode: { type: 'number' }, ackVersion: { type: 'number' }, ackDescription: TEXT, lastUpdateTime: TEXT },
  ['desiredVersion', 'lastUpdateTime'],
);
const COMMAND = record({ id: TEXT, at: { type: 'number' }, responseCode: { type: 'number' }, connectionTimeout: { type: 'number' }, responseTimeout: { type: 'number' } }, ['id']);
const HUB_TWIN = record({ desired: ANY_OBJECT, desiredVersion: COUNT, reported: ANY_OBJECT, reportedVersion: COUNT }, ['desired', 'desiredVersion', 'reported', 'reportedVersion']);

/** The singletons and the collections of devices, templates, groups, organizations and tokens, as records.ts has them. */
export const DEVICE_DATA = {
  simulation: record({ seed: { type: 'integer' }, timeScale: { type: 'number', minimum: 0 }, defaults: Behavior }, ['seed', 'timeScale', 'defaults']),
  fleets: {
    type: 'array',
    items: record({ prefix: ID.device, first: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER - 10_000_000 }, count: { type: 'integer', minimum: 1, maximum: 10_000_000 }, template: TEXT, simulated: FLAG }, [
      'prefix',
      'first',
      'count',
      'template',
      'simulated',
    ]),
  },
  apiTokens: collection(
    ID.central,
    record({ id: TEXT, hash: TEXT, roles: { type: 'array', items: record({ role: TEXT, organization: TEXT }, ['role']) }, expiry: DATE_TIME }, ['id', 'hash', 'roles']),
  ),
  deviceTemplates: collection(
    ID.template,
    record({ id: TEXT, etag: TEXT, types: TEXTS, displayName: TEXT, description: TEXT, capabilityModel: ANY_OBJECT, echoed: ANY_OBJECT, behavior: TemplateBehaviorBody }, [
      'id',
      'etag',
      'types',
      'capabilityModel',
    ]),
  ),
  devices: collection(
    ID.device,
    record(
      { id: TEXT, etag: TEXT, displayName: TEXT, template: TEXT, enabled: FLAG, simulated: FLAG, organizations: TEXTS, behavior: TemplateBehaviorBody, online: FLAG, external: FLAG, provisioned: FLAG },
      ['id', 'etag', 'displayName', 'enabled', 'simulated'],
    ),
  ),
  // Schema 1 snapshots list deleted fleet devices; the migration to schema 2 makes them a collection.
  deletedFleetDevices: { anyOf: [{ type: 'array', items: ID.device }, collection(ID.device, record({ id: TEXT }, ['id']))] },
  deviceGroups: collection(
    ID.central,
    record({ id: TEXT, etag: TEXT, displayName: TEXT, description: TEXT, filter: TEXT, organizations: TEXTS }, ['id', 'etag', 'displayName', 'filter']),
  ),
  organizations: collection(ID.central, record({ id: TEXT, displayName: TEXT, parent: TEXT }, ['id', 'displayName'])),
  deviceTwins: collection(
    ID.device,
    record(
      { properties: { type: 'object', additionalProperties: PROPERTY_STATE }, commands: { type: 'object', additionalProperties: COMMAND }, hub: HUB_TWIN },
      ['properties', 'commands'],
    ),
  ),
  deviceAttestations: collection(ID.device, ATTESTATION),
  deviceRelationships: collection(ID.device, { type: 'object', additionalProperties: record({ id: TEXT, source: TEXT, target: TEXT }, ['id', 'source', 'target']) }),
} as const;
