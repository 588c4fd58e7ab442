import type { FastifyRequest } from 'fastify';
import type { ApiTokens, Principal } from '../domain/api-tokens.js';
import { ADMINISTRATOR, roleAllows, type Permission } from '../domain/roles.js';
import type { BrowserSessions } from './browser-session.js';
import { CentralError } from './central/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** What the caller's role must allow; routes without one are open to every authenticated caller. */
    permission?: Permission;
  }
}

/** The local user's browser session acts as an App Administrator, as the person who started the emulator. */
const SESSION_PRINCIPAL: Principal = { tokenId: 'ui-session', roles: [ADMINISTRATOR] };

/** Who is calling: an API token in Authorization, else the UI's browser session cookie, else nobody. */
function authenticate(request: FastifyRequest, tokens: ApiTokens, sessions: BrowserSessions): Principal | null {
  const header = request.headers.authorization;
  if (header !== undefined) return tokens.authenticate(header);
  return sessions.accepts(request) ? SESSION_PRINCIPAL : null;
}

/** An onRequest hook for the surfaces in the IoT Central error shape: 401 without a valid token or session. */
export function requireCaller(tokens: ApiTokens, sessions: BrowserSessions) {
  return async (request: FastifyRequest): Promise<void> => {
    const principal = authenticate(request, tokens, sessions);
    if (!principal) throw new CentralError('Unauthorized', 'The request has no valid API token in the Authorization header.');
    request.principal = principal;
  };
}

/** 403 in the IoT Central error shape unless the caller's role allows the route's permission. */
export function requirePermission(request: FastifyRequest): void {
  const permission = request.routeOptions.config.permission;
  if (permission && !roleAllows(request.principal?.roles ?? [], permission)) {
    throw new CentralError('Forbidden', `The API token's role does not allow this operation (it needs the "${permission}" permission).`);
  }
}
