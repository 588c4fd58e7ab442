import { X509Certificate } from 'node:crypto';
import type { AttestationRecord, X509CertificateRecord } from '../../store/records.js';
import { invalid, notFound } from '../errors.js';
import type { AppStore } from '../persisted.js';
import type { DeviceCatalog } from './device-catalog.js';

/** An attestation as a client sends it; the API layer has checked it against the spec's Attestation schema. */
export interface AttestationInput {
  type: string;
  symmetricKey?: { primaryKey: string; secondaryKey: string };
  x509?: { clientCertificates?: { primary?: { certificate?: string }; secondary?: { certificate?: string } } };
  tpm?: { endorsementKey: string };
}

// Swagger 2.0 lets a subtype also answer to its definition name.
const CANONICAL_TYPES: Record<string, AttestationRecord['type']> = {
  symmetricKey: 'symmetricKey',
  SymmetricKeyAttestation: 'symmetricKey',
  x509: 'x509',
  X509Attestation: 'x509',
  tpm: 'tpm',
  TpmAttestation: 'tpm',
};

// DPS accepts symmetric keys of 16 to 64 bytes.
const KEY_BYTES = { min: 16, max: 64 };

/** Individual device attestations (DPS individual enrollments), one per device. */
export class DeviceAttestations {
  constructor(
    private readonly store: AppStore,
    private readonly catalog: DeviceCatalog,
  ) {}

  /** The device's attestation, or undefined when it has none (it then connects through the app's group key). */
  find(deviceId: string): AttestationRecord | undefined {
    this.catalog.require(deviceId);
    return this.store.repository('deviceAttestations').get(deviceId);
  }

  get(deviceId: string): AttestationRecord {
    const attestation = this.find(deviceId);
    if (!attestation) throw notFound('Attestation of device', deviceId);
    return attestation;
  }

  put(deviceId: string, input: AttestationInput): Promise<AttestationRecord> {
    return this.catalog.serialize(deviceId, async () => {
      this.catalog.require(deviceId);
      const record = toRecord(input);
      await this.store.commit((tx) => tx.put('deviceAttestations', deviceId, record));
      return record;
    });
  }

  remove(deviceId: string): Promise<void> {
    return this.catalog.serialize(deviceId, async () => {
      this.get(deviceId);
      await this.store.commit((tx) => tx.delete('deviceAttestations', deviceId));
    });
  }
}

function toRecord(input: AttestationInput): AttestationRecord {
  switch (CANONICAL_TYPES[input.type]) {
    case 'symmetricKey': {
      const { primaryKey, secondaryKey } = input.symmetricKey!;
      return { type: 'symmetricKey', symmetricKey: { primaryKey: checkKey(primaryKey, 'primaryKey'), secondaryKey: checkKey(secondaryKey, 'secondaryKey') } };
    }
    case 'x509': {
      const certificates = input.x509?.clientCertificates;
      if (certificates?.primary === undefined) throw invalid('x509.clientCertificates.primary: a device attestation needs a primary client certificate.');
      return {
        type: 'x509',
        x509: {
          clientCertificates: {
            primary: toCertificate(certificates.primary.certificate, 'primary'),
            ...(certificates.secondary !== undefined && { secondary: toCertificate(certificates.secondary.certificate, 'secondary') }),
          },
        },
      };
    }
    case 'tpm': {
      const { endorsementKey } = input.tpm!;
      if (!isBase64(endorsementKey) || endorsementKey.length === 0) throw invalid('tpm.endorsementKey: expected the base64 TPM endorsement key.');
      return { type: 'tpm', tpm: { endorsementKey } };
    }
    default:
      throw invalid(`type: "${input.type}" is not an attestation type; use symmetricKey, x509 or tpm.`);
  }
}

function checkKey(key: string, field: string): string {
  const bytes = isBase64(key) ? Buffer.from(key, 'base64').length : 0;
  if (bytes < KEY_BYTES.min || bytes > KEY_BYTES.max) {
    throw invalid(`symmetricKey.${field}: expected a base64 key of ${KEY_BYTES.min} to ${KEY_BYTES.max} bytes.`);
  }
  return key;
}

/**
 * IoT Central takes a certificate as PEM or as base64 of the PEM file (what its how-to generates); base64 DER is
 * accepted too. The thumbprint is the certificate's SHA-1 fingerprint in hex, as the service reports it.
 */
function toCertificate(certificate: string | undefined, which: string): X509CertificateRecord {
  const field = `x509.clientCertificates.${which}.certificate`;
  if (certificate === undefined) throw invalid(`${field}: the certificate is required.`);
  const parsed = parseCertificate(certificate);
  if (!parsed) throw invalid(`${field}: not an X.509 certificate (send PEM, base64 of the PEM file, or base64 DER).`);
  return { certificate, info: { sha1Thumbprint: parsed.fingerprint.replaceAll(':', '') } };
}

function parseCertificate(text: string): X509Certificate | undefined {
  const candidates = [text.trim()];
  if (isBase64(text.trim())) {
    const decoded = Buffer.from(text.trim(), 'base64');
    candidates.push(decoded.toString('utf8'));
    candidates.push(decoded.toString('binary'));
  }
  for (const candidate of candidates) {
    try {
      return new X509Certificate(candidate.includes('-----BEGIN') ? candidate : Buffer.from(candidate, 'binary'));
    } catch {
      // try the next reading of the text
    }
  }
  return undefined;
}

function isBase64(text: string): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(text) && text.length % 4 === 0;
}
