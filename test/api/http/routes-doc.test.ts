import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';

// Every route the IoT Central and control surfaces register, as Fastify's onRoute sees it.
const registered = vi.hoisted(() => [] as { method: string; url: string }[]);
vi.mock('fastify', async (importOriginal) => {
  const fastify = await importOriginal<typeof import('fastify')>();
  const withRouteCapture = ((options?: object) => {
    const app = fastify.default(options);
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) registered.push({ method, url: route.url });
    });
    return app;
  }) as typeof fastify.default;
  return { ...fastify, default: withRouteCapture };
});

/** Path parameters spelled as in docs (`{deviceId}`) or as in routes (`:deviceId`) compare equal. */
const withoutParamNames = (path: string) => path.replace(/\{[^}]+\}|:\w+/g, '{}');
const CATCH_ALLS = new Set(['/api/*', '/system/*', '/_fleetlab/*', '/api', '/system', '/_fleetlab']);

describe('docs/api.md names every path of /api and /_fleetlab', () => {
  let host: TestHost;
  let doc: string;

  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1 });
    doc = withoutParamNames(await readFile(new URL('../../../docs/api.md', import.meta.url), 'utf8'));
  });
  afterAll(() => host.stop());

  it('has every registered path, implemented or answering 501, in its text', () => {
    const paths = new Set(
      registered
        .map(({ url }) => url.replace(/\/$/, ''))
        .filter((url) => /^\/(api|_fleetlab)\//.test(url) && !CATCH_ALLS.has(url)),
    );
    expect(paths.size).toBeGreaterThan(60);
    const named = (path: string) => ['`', ' ', '?', '['].some((end) => doc.includes(`${withoutParamNames(path)}${end}`));
    expect([...paths].filter((path) => !named(path))).toEqual([]);
  });
});
