/** A device's key: base64 HMAC-SHA256 of its id under the group key, as DPS derives it (Web Crypto). */
export async function deriveDeviceKey(groupKey: string, deviceId: string): Promise<string> {
  const raw = Uint8Array.from(atob(groupKey), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(deviceId)));
  return btoa(String.fromCharCode(...signature));
}
