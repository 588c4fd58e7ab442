import type { FastifyInstance } from 'fastify';
import type { BrowserSessions } from '../../browser-session.js';
import { SessionCode } from '../schema/info.js';

/**
 * POST /session-codes: a fresh one-time code and the UI address that redeems it, for a second browser or a test,
 * since the code the emulator printed works once.
 */
export async function sessionCodeRoutes(app: FastifyInstance, { sessions }: { sessions: BrowserSessions }): Promise<void> {
  app.post<{ Reply: SessionCode }>('/session-codes', { schema: { response: { 201: SessionCode } } }, async (request, reply) => {
    const code = sessions.mintCode();
    return reply.code(201).header('cache-control', 'no-store').send({ code, url: `${request.protocol}://${request.headers.host}/?code=${code}` });
  });
}
