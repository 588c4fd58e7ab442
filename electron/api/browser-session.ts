import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { OriginPolicy } from './origin-policy.js';

export const SESSION_COOKIE = 'fleetlab_session';

/** Codes minted but not yet redeemed; beyond this the oldest lapse, so minting cannot grow memory without bound. */
const MAX_OPEN_CODES = 1000;

const secret = () => randomBytes(32).toString('base64url');

/**
 * The UI's browser sessions, granted the way Jupyter grants them: the emulator prints a URL with a one-time code
 * (the desktop app opens one itself), and GET /?code=… trades that code, once, for an HttpOnly SameSite=Strict
 * cookie. Only loopback peers may hold a session, unless the emulator was bound to a network address on purpose.
 */
export class BrowserSessions {
  private readonly openCodes = new Set<string>();
  private readonly sessions = new Set<string>();
  private networkPeersAllowed = false;

  constructor(private readonly policy: OriginPolicy) {}

  /** Called once the server listens: a `--host` other than loopback lets peers on that network redeem codes. */
  bind(bindHost: string): void {
    this.networkPeersAllowed = !isLoopbackAddress(bindHost) && bindHost !== 'localhost';
  }

  mintCode(): string {
    const code = secret();
    this.openCodes.add(code);
    if (this.openCodes.size > MAX_OPEN_CODES) this.openCodes.delete(this.openCodes.values().next().value!);
    return code;
  }

  /** A new session's cookie value for an unused code from an allowed peer; undefined otherwise. The code is spent either way. */
  redeem(request: FastifyRequest, code: string): string | undefined {
    if (!this.openCodes.delete(code) || !this.peerAllowed(request)) return undefined;
    const session = secret();
    this.sessions.add(session);
    return session;
  }

  /** Whether the request carries a session cookie this emulator granted, sent by its own page from an allowed peer. */
  accepts(request: FastifyRequest): boolean {
    const cookie = request.cookies[SESSION_COOKIE];
    return cookie !== undefined && this.sessions.has(cookie) && this.peerAllowed(request) && this.policy.isSameOriginRequest(request);
  }

  private peerAllowed(request: FastifyRequest): boolean {
    return this.networkPeersAllowed || isLoopbackAddress(request.socket.remoteAddress);
  }
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1' || address === '[::1]';
}
