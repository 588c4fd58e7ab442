import { createHmac } from 'node:crypto';
import type { AppStore } from '../persisted.js';
import type { DeviceAttestations } from './device-attestations.js';

export interface DeviceCredentials {
  idScope: string;
  symmetricKey?: { primaryKey: string; secondaryKey: string };
  x509?: unknown;
  tpm?: { endorsementKey: string };
}

/**
 * What a device needs to provision through DPS. A device with an individual attestation gets that; every other
 * device gets keys derived from the app's SAS-IoT-Devices group keys exactly as DPS derives them for a group
 * enrollment (HMAC-SHA256 of the device id with the group key), so nothing per device is stored and the keys survive
 * restarts. The group keys and the ID scope derive from the simulation seed.
 */
export class DeviceCredentialSource {
  constructor(
    private readonly store: AppStore,
    private readonly attestations: DeviceAttestations,
  ) {}

  credentials(deviceId: string): DeviceCredentials {
    const attestation = this.attestations.find(deviceId);
    const idScope = this.idScope();
    if (!attestation) return { idScope, symmetricKey: this.derivedKeys(deviceId) };
    const { type: _type, ...credential } = attestation;
    return { idScope, ...credential };
  }

  /**
   * The keys a DPS registration or a hub connection of `deviceId` may be signed with: its own attestation's keys, or
   * the group-derived ones (also for a registration id that is not a device yet: DPS creates it).
   */
  signingKeys(deviceId: string): string[] {
    const attestation = this.store.repository('devices').get(deviceId) ? this.attestations.find(deviceId) : undefined;
    if (attestation) return attestation.type === 'symmetricKey' ? [attestation.symmetricKey.primaryKey, attestation.symmetricKey.secondaryKey] : [];
    const { primaryKey, secondaryKey } = this.derivedKeys(deviceId);
    return [primaryKey, secondaryKey];
  }

  /** The SAS-IoT-Devices enrollment group's keys (base64), from which devices' keys derive. */
  groupKeys(): { primaryKey: string; secondaryKey: string } {
    return { primaryKey: this.secret('SAS-IoT-Devices/primary').toString('base64'), secondaryKey: this.secret('SAS-IoT-Devices/secondary').toString('base64') };
  }

  idScope(): string {
    return `0ne${this.secret('idScope').subarray(0, 4).toString('hex').toUpperCase()}`;
  }

  private derivedKeys(deviceId: string): { primaryKey: string; secondaryKey: string } {
    const derive = (groupKey: Buffer) => createHmac('sha256', groupKey).update(deviceId).digest('base64');
    return { primaryKey: derive(this.secret('SAS-IoT-Devices/primary')), secondaryKey: derive(this.secret('SAS-IoT-Devices/secondary')) };
  }

  private secret(purpose: string): Buffer {
    return createHmac('sha256', `fleetlab-app-${this.store.get('simulation').seed}`).update(purpose).digest();
  }
}
