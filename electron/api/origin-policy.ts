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
  private scheme: 'http' | 'https' = 'http';

  /**
   * Called once the server listens, when the real port is known. `hostnames` (--hostname) are further names that
   * resolve to this machine; a name without its port is accepted only on the scheme's default port, as clients send it.
   */
  bind(bindHost: string, port: number, { scheme = 'http', hostnames = [] }: { scheme?: 'http' | 'https'; hostnames?: readonly string[] } = {}): void {
    this.anyHost = WILDCARDS.has(bindHost);
    this.scheme = scheme;
    const bracketed = (name: string) => (name.includes(':') && !name.startsWith('[') ? `[${name}]` : name);
    const names = [...LOOPBACK_NAMES, bindHost, ...hostnames].map((name) => bracketed(name).toLowerCase());
    const defaultPort = port === (scheme === 'https' ? 443 : 80);
    this.ownHosts = new Set(names.flatMap((name) => (defaultPort ? [`${name}:${port}`, name] : [`${name}:${port}`])));
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
    if (origin !== undefined && origin.toLowerCase() !== `${this.scheme}://${host}`) return false;
    const site = request.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin' || site === 'none';
  }
}
