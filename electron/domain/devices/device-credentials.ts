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
