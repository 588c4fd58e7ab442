import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/api/logger.js';

describe("Fastify's request log", () => {
  it('writes JSON lines at the chosen level with the Authorization header and cookies redacted', async () => {
    const lines: string[] = [];
    const app = Fastify({ loggerInstance: createLogger('info', { write: (line) => void lines.push(line) }) });
    app.get('/echo', async (request) => {
      request.log.info({ headers: request.headers }, 'headers seen');
      request.log.debug('below the level');
      return {};
    });
    await app.inject({ method: 'GET', url: '/echo', headers: { authorization: 'SharedAccessSignature sig=secret', cookie: 'fleetlab_session=secret' } });
    await app.close();

    const entries = lines.map((line) => JSON.parse(line) as { msg: string; headers?: Record<string, string> });
    expect(entries.map((entry) => entry.msg).slice(0, 3)).toEqual(['incoming request', 'headers seen', 'request completed']);
    expect(entries[1]!.headers).toMatchObject({ authorization: '[Redacted]', cookie: '[Redacted]' });
    expect(lines.join('')).not.toContain('secret');
  });

  it("logs a presigned URL's path and query without its signature", async () => {
    const lines: string[] = [];
    const app = Fastify({ loggerInstance: createLogger('info', { write: (line) => void lines.push(line) }) });
    app.get('/s3/*', async () => ({}));
    await app.inject({ method: 'GET', url: '/s3/firmware/fw.bin?X-Amz-Expires=600&X-Amz-Signature=0123abcdsecret&X-Amz-SignedHeaders=host' });
    await app.close();

    const incoming = JSON.parse(lines[0]!) as { req: { url: string } };
    expect(incoming.req.url).toBe('/s3/firmware/fw.bin?X-Amz-Expires=600&X-Amz-Signature=[Redacted]&X-Amz-SignedHeaders=host');
    expect(lines.join('')).not.toContain('0123abcdsecret');
  });
});
