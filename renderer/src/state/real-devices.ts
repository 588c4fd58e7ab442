import { api } from '../../lib/api';

export interface ConnectedDevice {
  deviceId: string;
  transport: 'tls' | 'websocket' | 'tcp';
  connectedAt: string;
}

interface EnrollmentGroups {
  value: { id: string; attestation: { type: string; symmetricKey?: { primaryKey: string } } }[];
}

export const realDevicesApi = {
  connected: () => api.request<{ value: ConnectedDevice[] }>('GET', '/_fleetlab/connected-devices').then((list) => list.value),
  /** The primary key of IoT Central's default SAS group, which device keys derive from. */
  groupKey: async () => {
    const groups = await api.request<EnrollmentGroups>('GET', '/api/enrollmentGroups?api-version=2022-07-31');
    return groups.value.find((group) => group.id === 'SAS-IoT-Devices')?.attestation.symmetricKey?.primaryKey;
  },
};

/** A device's key: base64 HMAC-SHA256 of its id under the group key, as DPS derives it (Web Crypto). */
export async function deriveDeviceKey(groupKey: string, deviceId: string): Promise<string> {
  const raw = Uint8Array.from(atob(groupKey), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(deviceId)));
  return btoa(String.fromCharCode(...signature));
}
