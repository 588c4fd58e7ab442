import { X509Certificate } from 'node:crypto';

/** Chromium's answers to a certificate verify callback: 0 accepts, -3 keeps Chromium's own verdict. */
export const ACCEPT = 0;
export const USE_CHROMIUM_VERDICT = -3;

/** The parts of Electron's certificate verify request this check reads. */
export interface VerifyRequest {
  hostname: string;
  certificate: { data: string };
}

/**
 * The desktop window trusts Fleetlab's own CA for the emulator's own host and nothing else: a certificate for that
 * host that the CA signed and that is valid now is accepted; every other host, and any other certificate, gets
 * Chromium's usual verification, so the CA never vouches for a site on the web.
 */
export function ownCertificateVerdict(request: VerifyRequest, own: { hostname: string; caPem: string }, now = new Date()): number {
  if (request.hostname !== own.hostname) return USE_CHROMIUM_VERDICT;
  try {
    const leaf = new X509Certificate(request.certificate.data);
    const ca = new X509Certificate(own.caPem);
    const current = new Date(leaf.validFrom) <= now && now <= new Date(leaf.validTo);
    const forHost = leaf.checkIP(own.hostname) !== undefined || leaf.checkHost(own.hostname) !== undefined;
    return current && forHost && leaf.checkIssued(ca) && leaf.verify(ca.publicKey) ? ACCEPT : USE_CHROMIUM_VERDICT;
  } catch {
    return USE_CHROMIUM_VERDICT;
  }
}
