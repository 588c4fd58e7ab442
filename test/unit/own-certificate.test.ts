import { createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueLocalCa, issueServerCertificate } from '../../electron/tls/certificates.js';
import { ACCEPT, ownCertificateVerdict, USE_CHROMIUM_VERDICT } from '../../electron/own-certificate.js';

const ownCa = issueLocalCa('Fleetlab local CA');
const otherCa = issueLocalCa('Someone else');
const signedBy = (ca: typeof ownCa, names = ['127.0.0.1']) =>
  issueServerCertificate({ certificatePem: ca.certificatePem, key: createPrivateKey(ca.keyPem) }, names).certificatePem;
const own = { hostname: '127.0.0.1', caPem: ownCa.certificatePem };

describe("the desktop window's trust in Fleetlab's CA", () => {
  it("accepts the emulator's own certificate on its own host", () => {
    expect(ownCertificateVerdict({ hostname: '127.0.0.1', certificate: { data: signedBy(ownCa) } }, own)).toBe(ACCEPT);
  });

  it('leaves every other host to Chromium, even with a certificate from the same CA', () => {
    expect(ownCertificateVerdict({ hostname: 'example.com', certificate: { data: signedBy(ownCa, ['example.com']) } }, own)).toBe(USE_CHROMIUM_VERDICT);
  });

  it('leaves a certificate from another CA, for another name, expired or unreadable to Chromium', () => {
    expect(ownCertificateVerdict({ hostname: '127.0.0.1', certificate: { data: signedBy(otherCa) } }, own)).toBe(USE_CHROMIUM_VERDICT);
    expect(ownCertificateVerdict({ hostname: '127.0.0.1', certificate: { data: signedBy(ownCa, ['localhost']) } }, own)).toBe(USE_CHROMIUM_VERDICT);
    const later = new Date(Date.now() + 900 * 24 * 60 * 60 * 1000);
    expect(ownCertificateVerdict({ hostname: '127.0.0.1', certificate: { data: signedBy(ownCa) } }, own, later)).toBe(USE_CHROMIUM_VERDICT);
    expect(ownCertificateVerdict({ hostname: '127.0.0.1', certificate: { data: 'not a certificate' } }, own)).toBe(USE_CHROMIUM_VERDICT);
  });
});
