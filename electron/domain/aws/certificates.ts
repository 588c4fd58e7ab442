import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import type { Issuer } from '../../tls/certificates.js';
import { issueClientCertificate } from '../../tls/certificates.js';
import type { DeviceCatalog, StageWrites } from '../devices/device-catalog.js';
import { newEtag } from '../etag.js';
import { WriteQueue } from '../devices/write-queue.js';
import { DomainError, invalid, notFound } from '../errors.js';
import type { AppStore } from '../persisted.js';
import { storageErrorOf } from '../../store/storage-error.js';
import type { SimulationClock } from '../simulation-clock.js';
import type { CertificateRecord, CertificateStatus, ThingPrincipalType } from './registry-records.js';

/** Why a certificate cannot change as asked; the AWS API layer answers each with its own error. */
export class CertificateInUse extends DomainError {
  constructor(
    readonly reason: 'active' | 'attached' | 'revoked',
    message: string,
  ) {
    super('Conflict', message);
  }
}

interface IssuedDeviceCertificate {
  certificate: CertificateRecord;
  /** Returned once, never stored. */
  privateKeyPem: string;
  publicKeyPem: string;
}

/** All writes to certificates run one after another: attachments read and write two of them at once. */
const WRITES = 'certificates';

/**
 * AWS IoT device certificates issued by Fleetlab's local CA, and the things they are attached to. A thing with a
 * certificate attached is a real device: it becomes external, so its agent (over MQTT or HTTPS) takes its job
 * executions instead of the simulator.
 */
export class Certificates {
  private readonly writes = new WriteQueue();

  constructor(
    private readonly store: AppStore,
    private readonly clock: SimulationClock,
    private readonly devices: DeviceCatalog,
    /** The CA that signs device certificates; asked on first use (it lives in the data dir). */
    private readonly issuer: () => Promise<Issuer>,
  ) {}

  async create(setAsActive: boolean): Promise<IssuedDeviceCertificate> {
    // The key pair is made before the write queue: other certificates' writes need not wait for it.
    let issuer: Issuer;
    try {
      issuer = await this.issuer();
    } catch (error) {
      // The CA is made in the data dir on first use: a data dir that cannot take it is a storage failure.
      throw storageErrorOf(error, "Fleetlab's certificate authority");
    }
    const issued = await issueClientCertificate(issuer, new Date());
    return this.writes.run(WRITES, async () => {
      const x509 = new X509Certificate(issued.certificatePem);
      const now = this.clock.now();
      const certificate: CertificateRecord = {
        id: fingerprintOf(x509),
        pem: issued.certificatePem,
        status: setAsActive ? 'ACTIVE' : 'INACTIVE',
        createdAt: now,
        lastModifiedAt: now,
        customerVersion: 1,
        generationId: randomBytes(16).toString('hex'),
        notBefore: Date.parse(x509.validFrom),
        notAfter: Date.parse(x509.validTo),
        things: [],
      };
      await this.store.commit((tx) => tx.put('certificates', certificate.id, certificate));
      return { certificate, privateKeyPem: issued.keyPem, publicKeyPem: issued.publicKeyPem };
    });
  }

  describe(id: string): CertificateRecord {
    const certificate = this.store.repository('certificates').get(id);
    if (!certificate) throw notFound('Certificate', id);
    return certificate;
  }

  /** Oldest first, or newest first when not `ascending`. */
  list(ascending: boolean): CertificateRecord[] {
    const all = this.store.repository('certificates').list().sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    return ascending ? all : all.reverse();
  }

  setStatus(id: string, status: CertificateStatus): Promise<void> {
    return this.writes.run(WRITES, async () => {
      const certificate = this.describe(id);
      if (certificate.status === status) return;
      if (certificate.status === 'REVOKED') throw new CertificateInUse('revoked', `Certificate ${id} is revoked; its status can no longer change.`);
      const updated = { ...certificate, status, lastModifiedAt: this.clock.now(), customerVersion: certificate.customerVersion + 1 };
      await this.store.commit((tx) => tx.put('certificates', id, updated));
    });
  }

  remove(id: string): Promise<void> {
    return this.writes.run(WRITES, async () => {
      const certificate = this.describe(id);
      if (certificate.status === 'ACTIVE') throw new CertificateInUse('active', 'Certificate must be deactivated (not ACTIVE) before deletion.');
      const attached = this.attachedThings(certificate);
      if (attached.length > 0) throw new CertificateInUse('attached', `Certificate ${id} is attached to ${attached.join(', ')}; detach it first.`);
      await this.store.commit((tx) => tx.delete('certificates', id));
    });
  }

  attach(thingName: string, id: string, type: ThingPrincipalType): Promise<void> {
    return this.writes.run(WRITES, async () => {
      const device = this.devices.find(thingName);
      if (!device) throw notFound('Thing', thingName);
      const certificate = this.describe(id);
      const others = certificate.things.filter((thing) => thing.name !== thingName && this.devices.find(thing.name));
      if (others.some((thing) => thing.type === 'EXCLUSIVE_THING') || (type === 'EXCLUSIVE_THING' && others.length > 0)) {
        throw invalid(`Certificate ${id} is attached to ${others.map((thing) => thing.name).join(', ')}; an exclusive attachment allows one thing only.`);
      }
      const updated = { ...certificate, things: [...certificate.things.filter((thing) => thing.name !== thingName), { name: thingName, type }] };
      const stage: StageWrites = (tx) => tx.put('certificates', id, updated);
      // A thing with a certificate is a real device: its agent answers its jobs from now on.
      if (device.external) await this.store.commit(stage);
      else await this.devices.save({ ...device, etag: newEtag(), external: true }, stage);
    });
  }

  detach(thingName: string, id: string): Promise<void> {
    return this.writes.run(WRITES, async () => {
      if (!this.devices.find(thingName)) throw notFound('Thing', thingName);
      const certificate = this.describe(id);
      if (!certificate.things.some((thing) => thing.name === thingName)) return;
      const updated = { ...certificate, things: certificate.things.filter((thing) => thing.name !== thingName) };
      await this.store.commit((tx) => tx.put('certificates', id, updated));
    });
  }

  /** Ids of the certificates attached to a thing. */
  principalsOf(thingName: string): string[] {
    if (!this.devices.find(thingName)) throw notFound('Thing', thingName);
    return this.list(true)
      .filter((certificate) => certificate.things.some((thing) => thing.name === thingName))
      .map((certificate) => certificate.id);
  }

  /** The things a certificate is attached to that still exist (a deleted thing's attachment is left behind). */
  thingsOf(id: string): string[] {
    return this.attachedThings(this.describe(id));
  }

  /** The registered certificate a TLS client presented, if it is one. */
  presented(certificate: X509Certificate): CertificateRecord | undefined {
    return this.store.repository('certificates').get(fingerprintOf(certificate));
  }

  private attachedThings(certificate: CertificateRecord): string[] {
    return certificate.things.map((thing) => thing.name).filter((name) => this.devices.find(name) !== undefined);
  }
}

/** Stages the removal of a thing from the certificates attached to it, for the transaction that deletes the thing. */
export function stageDetachAll(store: AppStore, thingName: string): StageWrites {
  const attached = store.repository('certificates').list().filter((certificate) => certificate.things.some((thing) => thing.name === thingName));
  return (tx) => {
    for (const certificate of attached) tx.put('certificates', certificate.id, { ...certificate, things: certificate.things.filter((thing) => thing.name !== thingName) });
  };
}

/** AWS IoT's certificate id: the SHA-256 of the DER encoding, lowercase hex. */
function fingerprintOf(certificate: X509Certificate): string {
  return createHash('sha256').update(certificate.raw).digest('hex');
}
