import { ANY_OBJECT, collection, COUNT, FLAG, ID, record, TAGS, TEXT, TEXT_MAP, TEXTS, TIME_MS } from './record-shapes.js';

const THING_GROUP = record(
  {
    name: TEXT,
    id: TEXT,
    description: TEXT,
    attributes: TEXT_MAP,
    parent: TEXT,
    tags: TAGS,
    createdAt: TIME_MS,
    version: COUNT,
    query: record({ queryString: TEXT, queryVersion: TEXT, indexName: TEXT }, ['queryString', 'queryVersion', 'indexName']),
  },
  ['name', 'id', 'createdAt', 'version'],
);

const CERTIFICATE = record(
  {
    id: TEXT,
    pem: TEXT,
    status: { enum: ['ACTIVE', 'INACTIVE', 'REVOKED'] },
    createdAt: TIME_MS,
    lastModifiedAt: TIME_MS,
    customerVersion: COUNT,
    generationId: TEXT,
    notBefore: TIME_MS,
    notAfter: TIME_MS,
    things: { type: 'array', items: record({ name: TEXT, type: { enum: ['EXCLUSIVE_THING', 'NON_EXCLUSIVE_THING'] } }, ['name', 'type']) },
  },
  ['id', 'pem', 'status', 'createdAt', 'lastModifiedAt', 'customerVersion', 'generationId', 'notBefore', 'notAfter', 'things'],
);

/** The AWS IoT registry, job templates, certificates and S3 buckets; `awsJobs` are checked by the domain (aws/aws-job-record-check.ts). */
export const AWS_DATA = {
  things: collection(ID.device, record({ attributes: TEXT_MAP, version: COUNT, billingGroup: TEXT, tags: TAGS }, ['attributes', 'version'])),
  // Schema 2 snapshots still list each group's `things`; the migration to schema 3 makes them thingGroupMembers.
  thingGroups: collection(ID.thingGroup, THING_GROUP),
  thingGroupMembers: collection(ID.thingGroupMember, record({ group: TEXT, thing: TEXT }, ['group', 'thing'])),
  thingTypes: collection(
    ID.thingType,
    record({ name: TEXT, id: TEXT, description: TEXT, searchableAttributes: TEXTS, deprecated: FLAG, deprecatedAt: TIME_MS, createdAt: TIME_MS, tags: TAGS }, [
      'name',
      'id',
      'deprecated',
      'createdAt',
    ]),
  ),
  billingGroups: collection(ID.thingGroup, record({ name: TEXT, id: TEXT, description: TEXT, createdAt: TIME_MS, version: COUNT, tags: TAGS }, ['name', 'id', 'createdAt', 'version'])),
  jobTemplates: collection(
    ID.jobTemplate,
    record({ id: TEXT, description: TEXT, document: TEXT, documentSource: TEXT, settings: ANY_OBJECT, tags: TAGS, createdAt: TIME_MS }, ['id', 'description', 'settings', 'createdAt']),
  ),
  awsJobs: collection(ID.central, record({}, ['jobId', 'targets', 'document', 'settings'])),
  // Only which buckets exist: their objects stay files in the data dir (docs/decisions.md).
  s3Buckets: collection(ID.bucket, record({ name: TEXT, createdAt: TIME_MS }, ['name', 'createdAt'])),
  certificates: collection(ID.certificate, CERTIFICATE),
} as const;
