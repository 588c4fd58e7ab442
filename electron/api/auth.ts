import type { FastifyRequest } from 'fastify';
import type { ApiTokens, Principal } from '../domain/api-tokens.js';
import { ADMINISTRATOR } from '../domain/roles.js';
import type { OriginPolicy } from './origin-policy.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const SESSION_PRINCIPAL: Principal = { tokenId: 'ui-session', roles: [ADMINISTRATOR] };

/** Who is calling: an API token in Authorization, else the UI's same-origin session cookie, else nobody. */
export function authenticate(request: FastifyRequest, tokens: ApiTokens, policy: OriginPolicy): Principal | null {
  const header = request.headers.authorization;
  if (header !== undefined) return tokens.authenticate(header);
  return policy.acceptsSession(request) ? SESSION_PRINCIPAL : null;
}
