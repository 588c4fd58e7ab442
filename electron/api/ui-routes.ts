import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { SESSION_COOKIE, type BrowserSessions } from './browser-session.js';

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const SIGN_IN_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Fleetlab</title></head>
<body>
<h1>Open Fleetlab from the address it printed</h1>
<p>This emulator's UI opens only from the address it printed when it started, the line after
<code>Fleetlab listening on …</code>: <code>http://…/?code=…</code>. Each code opens the UI in one browser, once.</p>
<p>For another browser, ask for a fresh address with an App Administrator token:
<code>curl -X POST -H "Authorization: $FLEETLAB_API_TOKEN" http://…/_fleetlab/session-codes</code>.
The desktop app opens its window signed in.</p>
</body>
</html>
`;

export interface UiOptions {
  sessions: BrowserSessions;
  /** Built renderer files; the UI is served at / when present. */
  rendererDir?: string;
}

/**
 * The UI at /: `GET /?code=<one-time code>` trades the code for the session cookie and redirects to `/` without it;
 * `GET /` with that cookie serves the app; anything else gets a page saying how to open it, never a cookie.
 */
export async function uiRoutes(app: FastifyInstance, { sessions, rendererDir }: UiOptions): Promise<void> {
  if (!rendererDir || !existsSync(path.join(rendererDir, 'index.html'))) {
    app.get('/', (_request, reply) =>
      reply
        .code(503)
        .header('content-type', 'text/plain; charset=utf-8')
        .send('The Fleetlab UI is not built; run `npm run build`. The API is available under /api.'),
    );
    return;
  }
  await app.register(fastifyStatic, { root: rendererDir, index: false, wildcard: true });
  app.get<{ Querystring: { code?: string } }>('/', (request, reply) => {
    reply.header('cache-control', 'no-store');
    const { code } = request.query;
    if (code !== undefined) {
      const session = sessions.redeem(request, code);
      if (session === undefined) return signInPage(reply);
      return reply.setCookie(SESSION_COOKIE, session, { httpOnly: true, sameSite: 'strict', path: '/' }).redirect('/', 303);
    }
    if (!sessions.accepts(request)) return signInPage(reply);
    return reply.header('content-security-policy', CONTENT_SECURITY_POLICY).sendFile('index.html');
  });
}

function signInPage(reply: FastifyReply) {
  return reply
    .code(403)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', "default-src 'none'")
    .send(SIGN_IN_PAGE);
}
