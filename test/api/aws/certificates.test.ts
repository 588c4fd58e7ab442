import { createHash, X509Certificate } from 'node:crypto';
import {
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  DeleteCertificateCommand,
  DeleteThingCommand,
  DescribeCertificateCommand,
  DetachThingPrincipalCommand,
  DescribeThingCommand,
  ListCertificatesCommand,
  ListPrincipalThingsCommand,
  ListThingPrincipalsCommand,
  UpdateCertificateCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { ACCOUNT, iotClient, REGION, rejectionOf } from './aws-client.js';

/** AWS IoT device certificates from Fleetlab's CA, through the real @aws-sdk/client-iot. */
describe('AWS IoT certificates and thing principals', () => {
  let host: TestHost;
  let iot: IoTClient;
  let ca: X509Certificate;

  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1, mqtt: { port: 0 } });
    iot = iotClient(host);
    ca = new X509Certificate(await (await host.call('GET', '/_fleetlab/ca.pem')).text());
    await iot.send(new CreateThingCommand({ thingName: 'pump-1' }));
    await iot.send(new CreateThingCommand({ thingName: 'pump-2' }));
  });
  afterAll(() => host?.stop());

  it('issues a key pair and a certificate signed by the local CA, named by its SHA-256 fingerprint, INACTIVE unless asked', async () => {
    const created = await iot.send(new CreateKeysAndCertificateCommand({}));
    const certificate = new X509Certificate(created.certificatePem!);
    expect(created.certificateId).toBe(createHash('sha256').update(certificate.raw).digest('hex'));
    expect(created.certificateArn).toBe(`arn:aws:iot:${REGION}:${ACCOUNT}:cert/${created.certificateId}`);
    expect(certificate.checkIssued(ca)).toBe(true);
    expect(certificate.verify(ca.publicKey)).toBe(true);
    expect(created.keyPair!.PrivateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(created.keyPair!.PublicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);

    const { certificateDescription } = await iot.send(new DescribeCertificateCommand({ certificateId: created.certificateId }));
    expect(certificateDescription).toMatchObject({
      certificateArn: created.certificateArn,
      certificateId: created.certificateId,
      status: 'INACTIVE',
      certificatePem: created.certificatePem,
      ownedBy: ACCOUNT,
      certificateMode: 'DEFAULT',
      customerVersion: 1,
    });
    expect(certificateDescription!.creationDate).toBeInstanceOf(Date);
    expect(certificateDescription!.validity!.notAfter!.getTime()).toBe(Date.parse(certificate.validTo));
    // The private key is returned once: nothing the API answers afterwards holds it.
    expect(JSON.stringify(certificateDescription)).not.toContain('PRIVATE KEY');
  });

  it('lists certificates newest first, or oldest first, in pages', async () => {
    const active = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const newestFirst = await iot.send(new ListCertificatesCommand({}));
    expect(newestFirst.certificates![0]).toMatchObject({ certificateId: active.certificateId, status: 'ACTIVE', certificateArn: active.certificateArn });
    const oldestFirst = await iot.send(new ListCertificatesCommand({ ascendingOrder: true, pageSize: 1 }));
    expect(oldestFirst.certificates).toHaveLength(1);
    expect(oldestFirst.certificates![0]!.certificateId).not.toBe(active.certificateId);
    const rest = await iot.send(new ListCertificatesCommand({ ascendingOrder: true, pageSize: 1, marker: oldestFirst.nextMarker }));
    expect(rest.certificates![0]!.certificateId).toBe(active.certificateId);
  });

  it('attaches a certificate to things, lists both ways, and refuses deletion while ACTIVE or attached', async () => {
    const { certificateArn, certificateId } = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    await iot.send(new AttachThingPrincipalCommand({ thingName: 'pump-1', principal: certificateArn }));
    await iot.send(new AttachThingPrincipalCommand({ thingName: 'pump-2', principal: certificateArn }));
    expect((await iot.send(new ListThingPrincipalsCommand({ thingName: 'pump-1' }))).principals).toEqual([certificateArn]);
    expect((await iot.send(new ListPrincipalThingsCommand({ principal: certificateArn }))).things).toEqual(['pump-1', 'pump-2']);

    const active = await rejectionOf(iot.send(new DeleteCertificateCommand({ certificateId })));
    expect(active.name).toBe('CertificateStateException');
    expect(active.$metadata.httpStatusCode).toBe(406);
    await iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'INACTIVE' }));
    const attached = await rejectionOf(iot.send(new DeleteCertificateCommand({ certificateId })));
    expect(attached.name).toBe('DeleteConflictException');
    expect(attached.$metadata.httpStatusCode).toBe(409);

    await iot.send(new DetachThingPrincipalCommand({ thingName: 'pump-1', principal: certificateArn }));
    await iot.send(new DetachThingPrincipalCommand({ thingName: 'pump-2', principal: certificateArn }));
    expect((await iot.send(new ListThingPrincipalsCommand({ thingName: 'pump-1' }))).principals).toEqual([]);
    await iot.send(new DeleteCertificateCommand({ certificateId }));
    const gone = await rejectionOf(iot.send(new DescribeCertificateCommand({ certificateId })));
    expect(gone.name).toBe('ResourceNotFoundException');
  });

  it("refuses what AWS refuses: an exclusive attachment's second thing, unknown things and principals, a revoked certificate's reactivation", async () => {
    const { certificateArn, certificateId } = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    await iot.send(new AttachThingPrincipalCommand({ thingName: 'pump-1', principal: certificateArn, thingPrincipalType: 'EXCLUSIVE_THING' }));
    const second = await rejectionOf(iot.send(new AttachThingPrincipalCommand({ thingName: 'pump-2', principal: certificateArn })));
    expect(second.name).toBe('InvalidRequestException');
    expect((await rejectionOf(iot.send(new AttachThingPrincipalCommand({ thingName: 'no-such-thing', principal: certificateArn })))).name).toBe('ResourceNotFoundException');
    const unknown = `arn:aws:iot:${REGION}:${ACCOUNT}:cert/${'0'.repeat(64)}`;
    expect((await rejectionOf(iot.send(new ListPrincipalThingsCommand({ principal: unknown })))).name).toBe('ResourceNotFoundException');
    expect((await rejectionOf(iot.send(new AttachThingPrincipalCommand({ thingName: 'pump-2', principal: 'arn:aws:iot:us-east-1:123456789012:thing/pump-1' })))).name).toBe(
      'InvalidRequestException',
    );
    await iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'REVOKED' }));
    const revived = await rejectionOf(iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'ACTIVE' })));
    expect(revived.name).toBe('CertificateStateException');
  });

  it('forgets the attachments of a deleted thing, so a new thing of that name does not inherit the certificate', async () => {
    await iot.send(new CreateThingCommand({ thingName: 'pump-9' }));
    const { certificateArn } = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    await iot.send(new AttachThingPrincipalCommand({ thingName: 'pump-9', principal: certificateArn }));
    await iot.send(new DeleteThingCommand({ thingName: 'pump-9' }));
    await iot.send(new CreateThingCommand({ thingName: 'pump-9' }));
    expect((await iot.send(new ListThingPrincipalsCommand({ thingName: 'pump-9' }))).principals).toEqual([]);
    expect((await iot.send(new ListPrincipalThingsCommand({ principal: certificateArn }))).things).toEqual([]);
  });

  it('travels in a snapshot and goes with a reset', async () => {
    const { certificateId } = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const snapshot = (await (await host.call('GET', '/_fleetlab/snapshot')).json()) as { data: { certificates: Record<string, { pem: string }> } };
    expect(snapshot.data.certificates[certificateId!]!.pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(JSON.stringify(snapshot)).not.toContain('PRIVATE KEY');
    expect((await host.call('POST', '/_fleetlab/reset')).status).toBe(204);
    expect((await rejectionOf(iot.send(new DescribeCertificateCommand({ certificateId })))).name).toBe('ResourceNotFoundException');
    expect((await host.call('PUT', '/_fleetlab/snapshot', snapshot)).status).toBe(204);
    expect((await iot.send(new DescribeCertificateCommand({ certificateId }))).certificateDescription!.status).toBe('ACTIVE');
  });

  it('keeps certificates and attachments across a restart; the attached thing is now driven by its own agent', async () => {
    const { certificateArn, certificateId } = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    await iot.send(new AttachThingPrincipalCommand({ thingName: 'pump-2', principal: certificateArn }));
    await host.close();
    const again = await startTestHost({ simulatorThreads: 1, dataDir: host.dataDir, mqtt: { port: 0 } });
    try {
      const client = iotClient(again);
      expect((await client.send(new DescribeCertificateCommand({ certificateId }))).certificateDescription!.status).toBe('ACTIVE');
      expect((await client.send(new ListThingPrincipalsCommand({ thingName: 'pump-2' }))).principals).toEqual([certificateArn]);
      expect((await client.send(new DescribeThingCommand({ thingName: 'pump-2' }))).thingName).toBe('pump-2');
      const behavior = (await (await again.call('GET', '/_fleetlab/devices/pump-2/behavior')).json()) as { external: boolean };
      expect(behavior.external).toBe(true);
    } finally {
      await again.close();
    }
  });
});
