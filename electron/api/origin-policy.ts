import type { FastifyRequest } from 'fastify';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * Which Host/Origin values name this emulator: requests naming a foreign Host are refused outright (a guard against
 * DNS rebinding), and the UI's session cookie counts only on requests from the emulator's own origin.
 */
export class OriginPolicy {
  private ownHosts = new Set<string>();
  private anyHost = false;

  /** Called once the server listens, when the real port is known. */
  bind(bindHost: string, port: number): void {
    this.anyHost = WILDCARDS.has(bindHost);
    const named = bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost;
    this.ownHosts = new Set([...LOOPBACK_NAMES, named].map((name) => `${name}:${port}`));
  }

  isOwnHost(host: string | undefined): boolean {
    if (host === undefined) return false;
    return this.anyHost || this.ownHosts.has(host.toLowerCase());
  }

  /** Addressed to this emulator, from its own page (Origin and Sec-Fetch-Site agree) or from no page at all. */
  isSameOriginRequest(request: FastifyRequest): boolean {
    const host = request.headers.host?.toLowerCase();
    if (!host || !this.isOwnHost(host)) return false;
    const origin = request.headers.origin;
    if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) return false;
    const site = request.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin' || site === 'none';
  }
}
