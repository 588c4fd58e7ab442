import type { Tag } from './aws-job-model.js';

/** A thing's membership of a static thing group, keyed `${group}/${thing}` (neither name can hold a "/"). */
export interface ThingGroupMemberRecord {
  group: string;
  thing: string;
}

export const memberKey = (group: string, thing: string) => `${group}/${thing}`;

/** The AWS IoT side of a thing type; the type itself is the device template of the same id. */
export interface ThingTypeRecord {
  name: string;
  id: string;
  description?: string;
  searchableAttributes?: string[];
  deprecated: boolean;
  /** ms epoch */
  deprecatedAt?: number;
  createdAt: number;
  tags?: Tag[];
}

/** An AWS IoT billing group; a thing belongs to at most one, named in its registry record. */
export interface BillingGroupRecord {
  name: string;
  id: string;
  description?: string;
  createdAt: number;
  version: number;
  tags?: Tag[];
}

export type CertificateStatus = 'ACTIVE' | 'INACTIVE' | 'REVOKED';
export type ThingPrincipalType = 'EXCLUSIVE_THING' | 'NON_EXCLUSIVE_THING';

/** A device certificate Fleetlab's CA issued (CreateKeysAndCertificate); its private key is never kept. */
export interface CertificateRecord {
  /** SHA-256 of the certificate's DER, lowercase hex, as AWS IoT names certificates. */
  id: string;
  pem: string;
  status: CertificateStatus;
  /** ms epoch */
  createdAt: number;
  lastModifiedAt: number;
  customerVersion: number;
  generationId: string;
  notBefore: number;
  notAfter: number;
  /** The things it is attached to (AttachThingPrincipal), with how. */
  things: { name: string; type: ThingPrincipalType }[];
}
