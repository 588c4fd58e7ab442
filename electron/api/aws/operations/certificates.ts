import type * as Iot from '@aws-sdk/client-iot';
import { CertificateInUse } from '../../../domain/aws/certificates.js';
import type { CertificateRecord } from '../../../domain/aws/registry-records.js';
import { ACCOUNT_ID, arnOf, parseArn } from '../arns.js';
import { AwsError } from '../errors.js';
import { operation, type OperationHandlers, type Validated } from '../operation.js';
import { pageOf, pageRequest } from '../paging.js';

const SETTABLE_STATUSES = new Set(['ACTIVE', 'INACTIVE', 'REVOKED']);

const certificateArn = (region: string, id: string) => arnOf(region, 'cert', id);

/** A certificate principal's id; Fleetlab's principals are its own certificates' ARNs. */
const certificateIdOf = (principal: string, region: string) => parseArn(principal, region, ['cert']).name;

const describe = (certificate: CertificateRecord, region: string): Iot.CertificateDescription => ({
  certificateArn: certificateArn(region, certificate.id),
  certificateId: certificate.id,
  status: certificate.status,
  certificatePem: certificate.pem,
  ownedBy: ACCOUNT_ID,
  creationDate: new Date(certificate.createdAt),
  lastModifiedDate: new Date(certificate.lastModifiedAt),
  customerVersion: certificate.customerVersion,
  generationId: certificate.generationId,
  validity: { notBefore: new Date(certificate.notBefore), notAfter: new Date(certificate.notAfter) },
  certificateMode: 'DEFAULT',
});

/** AWS's own error for each reason a certificate cannot change. */
async function answeringInUse<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof CertificateInUse)) throw error;
    throw new AwsError(error.reason === 'attached' ? 'DeleteConflictException' : 'CertificateStateException', error.message);
  }
}

/** Device certificates from Fleetlab's CA (private keys returned once, never kept) and their things. */
export const certificateOperations: OperationHandlers = {
  CreateKeysAndCertificate: operation<Iot.CreateKeysAndCertificateRequest, Iot.CreateKeysAndCertificateResponse>(async (input, { services, region }) => {
    const { certificate, privateKeyPem, publicKeyPem } = await services.aws.certificates.create(input.setAsActive ?? false);
    return {
      certificateArn: certificateArn(region, certificate.id),
      certificateId: certificate.id,
      certificatePem: certificate.pem,
      keyPair: { PublicKey: publicKeyPem, PrivateKey: privateKeyPem },
    };
  }),

  DescribeCertificate: operation<Validated<Iot.DescribeCertificateRequest, 'certificateId'>, Iot.DescribeCertificateResponse>(async (input, { services, region }) => ({
    certificateDescription: describe(services.aws.certificates.describe(input.certificateId), region),
  })),

  ListCertificates: operation<Iot.ListCertificatesRequest, Iot.ListCertificatesResponse>(async (input, { services, region }) => {
    const page = pageRequest({ ...(input.pageSize !== undefined && { maxResults: input.pageSize }), ...(input.marker !== undefined && { nextToken: input.marker }) });
    const { items, nextToken } = pageOf(services.aws.certificates.list(input.ascendingOrder ?? false), page);
    return {
      certificates: items.map((certificate) => ({
        certificateArn: certificateArn(region, certificate.id),
        certificateId: certificate.id,
        status: certificate.status,
        certificateMode: 'DEFAULT',
        creationDate: new Date(certificate.createdAt),
      })),
      nextMarker: nextToken,
    };
  }),

  UpdateCertificate: operation<Validated<Iot.UpdateCertificateRequest, 'certificateId' | 'newStatus'>, void>(async (input, { services }) => {
    if (!SETTABLE_STATUSES.has(input.newStatus)) {
      throw new AwsError('InvalidRequestException', `A certificate's status can be set to ACTIVE, INACTIVE or REVOKED; ${input.newStatus} is not emulated.`);
    }
    await answeringInUse(() => services.aws.certificates.setStatus(input.certificateId, input.newStatus as 'ACTIVE' | 'INACTIVE' | 'REVOKED'));
  }),

  DeleteCertificate: operation<Validated<Iot.DeleteCertificateRequest, 'certificateId'>, void>(async (input, { services }) => {
    // forceDelete lets AWS delete a certificate that still has policies; Fleetlab has no policies, so it changes nothing.
    await answeringInUse(() => services.aws.certificates.remove(input.certificateId));
  }),

  AttachThingPrincipal: operation<Validated<Iot.AttachThingPrincipalRequest, 'thingName' | 'principal'>, Iot.AttachThingPrincipalResponse>(async (input, { services, region }) => {
    await services.aws.certificates.attach(input.thingName, certificateIdOf(input.principal, region), input.thingPrincipalType ?? 'NON_EXCLUSIVE_THING');
    return {};
  }),

  DetachThingPrincipal: operation<Validated<Iot.DetachThingPrincipalRequest, 'thingName' | 'principal'>, Iot.DetachThingPrincipalResponse>(async (input, { services, region }) => {
    await services.aws.certificates.detach(input.thingName, certificateIdOf(input.principal, region));
    return {};
  }),

  ListThingPrincipals: operation<Validated<Iot.ListThingPrincipalsRequest, 'thingName'>, Iot.ListThingPrincipalsResponse>(async (input, { services, region }) => {
    const { items, nextToken } = pageOf(services.aws.certificates.principalsOf(input.thingName), pageRequest(input));
    return { principals: items.map((id) => certificateArn(region, id)), nextToken };
  }),

  ListPrincipalThings: operation<Validated<Iot.ListPrincipalThingsRequest, 'principal'>, Iot.ListPrincipalThingsResponse>(async (input, { services, region }) => {
    const { items, nextToken } = pageOf(services.aws.certificates.thingsOf(certificateIdOf(input.principal, region)), pageRequest(input));
    return { things: items, nextToken };
  }),
};
