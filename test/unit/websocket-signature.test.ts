import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AWS_CREDENTIALS } from '../../electron/api/aws/credentials.js';
import { websocketSignatureRefusal } from '../../electron/mqtt/aws/websocket-signature.js';

const HOST = 'localhost:8443';

/** The path and query of a URL presigned by the SDKs' own signer, as a device's WebSocket upgrade sends it. */
async function presigned(options: { service?: string; signingDate?: Date; expiresIn?: number; sessionToken?: string } = {}): Promise<string> {
  const signer = new SignatureV4({
    credentials: { ...DEFAULT_AWS_CREDENTIALS, ...(options.sessionToken !== undefined && { sessionToken: options.sessionToken }) },
    region: 'eu-west-1',
    service: options.service ?? 'iotdevicegateway',
    sha256: Sha256,
  });
  const signed = await signer.presign(new HttpRequest({ method: 'GET', protocol: 'wss:', hostname: 'localhost', port: 8443, path: '/mqtt', headers: { host: HOST } }), {
    expiresIn: options.expiresIn ?? 300,
    ...(options.signingDate && { signingDate: options.signingDate }),
  });
  return `/mqtt?${new URLSearchParams(signed.query as Record<string, string>).toString()}`;
}

describe('SigV4-signed MQTT WebSocket URLs', () => {
  it('accepts a URL the SDK signer presigned for iotdevicegateway, with or without a session token', async () => {
    expect(websocketSignatureRefusal(DEFAULT_AWS_CREDENTIALS, await presigned(), { host: HOST })).toBeUndefined();
    expect(websocketSignatureRefusal(DEFAULT_AWS_CREDENTIALS, await presigned({ sessionToken: 'token' }), { host: HOST })).toBeUndefined();
  });

  it('refuses another host, another service, an expired or future URL, a missing or tampered signature', async () => {
    expect(websocketSignatureRefusal(DEFAULT_AWS_CREDENTIALS, await presigned(), { host: 'evil.example:8443' })).toMatch(/does not match/);
    expect(websocketSignatureRefusal(DEFAULT_AWS_CREDENTIALS, await presigned({ service: 'iot' }), { host: HOST })).toMatch(/service "iot"/);
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    expect(websocketSignatureRefusal(DEFAULT_AWS_CREDENTIALS, await presigned({ signingDate: hourAgo, expiresIn: 300 }), { host: HOST })).toMatch(/expired/);
    expect(websocketSignatureRefusal(DEFAULT_AWS_CREDENTIALS, await presigned({ signingDate: hourAgo, expiresIn: 7200 }), { host: HOST })).toBeUndefined();
    expect(websocketSignatureRefusal(DEFAULT_AWS_CREDENTIALS, await presigned({ signingDate: new Date(Date.now() + 60 * 60 * 1000) }), { host: HOST })).toMatch(/not yet current/);
    expect(websocketSignatureRefusal(DEFAULT_AWS_CREDENTIALS, '/mqtt', { host: HOST })).toMatch(/X-Amz-Algorithm/);
    const tampered = (await presigned()).replace(/X-Amz-Signature=([0-9a-f])/, (_match, first: string) => `X-Amz-Signature=${first === '0' ? '1' : '0'}`);
    expect(websocketSignatureRefusal(DEFAULT_AWS_CREDENTIALS, tampered, { host: HOST })).toMatch(/does not match/);
    expect(websocketSignatureRefusal({ ...DEFAULT_AWS_CREDENTIALS, secretAccessKey: 'other' }, await presigned(), { host: HOST })).toMatch(/does not match/);
  });
});
