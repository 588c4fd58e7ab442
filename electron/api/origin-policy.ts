import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'fleetlab_session';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * Which Host/Origin values name this emulator, and the UI's session cookie. The cookie is honoured only on
 * requests addressed to the emulator's own loopback address from its own origin, a guard against DNS rebinding
 * and cross-site requests; requests naming a foreign Host are refused outright.
 */
export class OriginPolicy {
  readonly sessionValue = randomBytes(32).toString('base64url');
  private ownHosts = new Set<string>();
  private loopbackHosts = new Set<string>();
  private anyHost = false;

  /** Called once the server listens, when the real port is known. */
  bind(bindHost: string, port: number): void {
    this.anyHost = WILDCARDS.has(bindHost);
    this.loopbackHosts = new Set(LOOPBACK_NAMES.map((name) => `${name}:${port}`));
    const named = bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost;
    this.ownHosts = new Set([...this.loopbackHosts, `${named}:${port}`]);
  }

  isOwnHost(host: string | undefined): boolean {
    if (host === undefined) return false;
    return this.anyHost || this.ownHosts.has(host.toLowerCase());
  }

  acceptsSession(request: FastifyRequest): boolean {
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie || !safeEqual(cookie, this.sessionValue)) return false;
    const host = request.headers.host?.toLowerCase();
    if (!host || !this.loopbackHosts.has(host)) return false;
    const origin = request.headers.origin;
    if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) return false;
    const site = request.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin' || site === 'none';
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
