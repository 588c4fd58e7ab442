import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { stubRendererDir } from '../../helpers/ui-session.js';

// Every route any surface registers, as Fastify's onRoute sees it.
const registered = vi.hoisted(() => [] as RouteOptions[]);
vi.mock('fastify', async (importOriginal) => {
  const fastify = await importOriginal<typeof import('fastify')>();
  const withRouteCapture = ((options?: object) => {
    const app = fastify.default(options);
    app.addHook('onRoute', (route) => {
      registered.push(route);
    });
    return app;
  }) as typeof fastify.default;
  return { ...fastify, default: withRouteCapture };
});

/** The UI's own pages and files (HTML and static assets), which no JSON schema describes. */
const isUiRoute = (url: string) => url === '/' || url === '/*';

describe('route schemas', () => {
  let host: TestHost;
  let renderer: Awaited<ReturnType<typeof stubRendererDir>>;
  beforeAll(async () => {
    renderer = await stubRendererDir();
    host = await startTestHost({ rendererDir: renderer.dir });
  });
  afterAll(async () => {
    await host.stop();
    await renderer.remove();
  });

  const apiRoutes = () => registered.filter((route) => !isUiRoute(route.url));
  const name = (route: RouteOptions) => `${[route.method].flat().join(',')} ${route.url}`;

  it('gives every route of every API surface a response schema', () => {
    expect(apiRoutes().length).toBeGreaterThan(150);
    expect(apiRoutes().filter((route) => !route.schema?.response).map(name)).toEqual([]);
  });

  it('derives every IoT Central operation route\'s params, querystring and response from the spec', () => {
    const central = apiRoutes().filter((route) => route.url.startsWith('/api/') && (route.config as { operation?: string } | undefined)?.operation);
    expect(central.length).toBeGreaterThan(80);
    const lacking = central.filter((route) => !route.schema?.params || !route.schema.querystring).map(name);
    expect(lacking).toEqual([]);
  });

  it('answers a request that breaks its route\'s schema in the dialect\'s error shape', async () => {
    const res = await host.call('PUT', '/api/apiTokens/route-schemas?api-version=2022-07-31', { roles: 'x' });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { code: 'UnprocessableEntity', message: 'roles: must be an array' } });
    const control = await host.call('GET', '/_fleetlab/aws/jobs?status=DONE');
    expect(control.status).toBe(400);
    expect(await control.json()).toMatchObject({ error: { code: 'BadRequest', message: 'querystring/status must be equal to one of the allowed values' } });
  });
});
