import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specVersionOf, type SpecVersion } from '../../electron/api/central/api-version.js';
import { centralErrorHandler } from '../../electron/api/central/errors.js';
import { centralRoute, checkAnswersAgainstSpec, installCentralSchemas } from '../../electron/api/central/route-schema.js';
import { installVersionGate } from '../../electron/api/central/version-gate.js';
import { startTestHost, type TestHost } from '../helpers/host.js';
import { expectMatchesSpec } from '../helpers/spec.js';

const API_VERSION = '2022-07-31';

interface ErrorBody {
  error: { code: string; message: string };
}

describe('spec validation of /api requests', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(() => host.stop());

  const putToken = (id: string, body: unknown) => host.call('PUT', `/api/apiTokens/${encodeURIComponent(id)}?api-version=${API_VERSION}`, body);

  it('answers a body of the wrong shape with 422 naming the field', async () => {
    const res = await putToken('spec-wrong-roles', { roles: 'x' });
    expect(res.status).toBe(422);
    expect(res.headers.get('x-ms-error-code')).toBe('UnprocessableEntity');
    const body = (await res.json()) as ErrorBody;
    expect(body.error).toMatchObject({ code: 'UnprocessableEntity', message: 'roles: must be an array' });
    expectMatchesSpec(API_VERSION, 'ApiTokens_Create', 422, body);
  });

  it('names a missing field deep inside the body', async () => {
    const res = await putToken('spec-no-role', { roles: [{ organization: 'org-1' }] });
    expect(res.status).toBe(422);
    expect(((await res.json()) as ErrorBody).error.message).toBe('roles[0].role: is required');
  });

  it('answers an id the API cannot carry with 400 naming the parameter', async () => {
    const res = await putToken('bad id!', { roles: [{ role: 'ca310b8d-2f4a-44e0-a36e-957c202cd8d4' }] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('BadRequest');
    expect(body.error.message).toBe('tokenId: must match the pattern ^[a-zA-Z0-9_-]*$');
    expectMatchesSpec(API_VERSION, 'ApiTokens_Create', 400, body);
  });

  it('answers a query parameter out of the spec range with 400', async () => {
    const res = await host.call('GET', '/api/jobs?api-version=2022-10-31-preview&maxpagesize=0');
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.message).toBe('maxpagesize: must be at least 1');
  });

  it('creates a token from a valid body, ignoring readOnly fields, and answers as the spec says', async () => {
    const res = await putToken('spec-valid', { id: 'someone-else', token: 'chosen', roles: [{ role: 'ca310b8d-2f4a-44e0-a36e-957c202cd8d4' }] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: string; token: string };
    expect(body.id).toBe('spec-valid');
    expect(body.token).not.toBe('chosen');
    expectMatchesSpec(API_VERSION, 'ApiTokens_Create', 200, body);
  });
});

describe('spec-derived route schemas on their own', () => {
  function appWithSchemas(): FastifyInstance {
    const app = Fastify();
    app.decorateRequest('apiVersion', '');
    app.decorateRequest('specVersion', undefined as unknown as SpecVersion);
    app.addHook('onRequest', async (request) => {
      request.apiVersion = (request.query as { 'api-version': string })['api-version'];
      request.specVersion = specVersionOf(request.apiVersion)!;
    });
    app.setErrorHandler(centralErrorHandler);
    installVersionGate(app);
    installCentralSchemas(app);
    return app;
  }

  it('leaves routes that name no operation alone', async () => {
    const app = appWithSchemas();
    app.put('/free/:anything', async (request) => request.body);
    const res = await app.inject({ method: 'PUT', url: `/free/not%20an%20id?api-version=${API_VERSION}`, payload: { roles: 'x' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ roles: 'x' });
    await app.close();
  });

  it('hands the handler the body without its readOnly fields', async () => {
    const app = appWithSchemas();
    app.put('/jobs/:jobId', centralRoute('Jobs_Create'), async (request) => request.body);
    const data = [{ type: 'command', target: 'dtmi:fleetlab:pump;1', path: 'reboot' }];
    const res = await app.inject({ method: 'PUT', url: `/jobs/j1?api-version=${API_VERSION}`, payload: { group: 'g', data, status: 'complete', progress: {} } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ group: 'g', data });
    await app.close();
  });

  it('validates one route by the spec of each request\'s api-version', async () => {
    const app = appWithSchemas();
    app.get('/jobs', centralRoute('Jobs_List'), async () => ({ value: [] }));
    // 2022-10-31-preview types maxpagesize as an int32; 2022-07-31 does not declare it, so it is ignored there.
    const preview = await app.inject({ method: 'GET', url: '/jobs?api-version=2022-10-31-preview&maxpagesize=ten' });
    expect(preview.statusCode).toBe(400);
    expect(preview.json()).toMatchObject({ error: { code: 'BadRequest', message: 'maxpagesize: must be an integer' } });
    const stable = await app.inject({ method: 'GET', url: '/jobs?api-version=2022-07-31&maxpagesize=ten' });
    expect(stable.statusCode).toBe(200);
    await app.close();
  });

  it('answers a missing body the operation requires with 422', async () => {
    const app = appWithSchemas();
    app.put('/jobs/:jobId', centralRoute('Jobs_Create'), async (request) => request.body);
    const res = await app.inject({ method: 'PUT', url: `/jobs/j1?api-version=${API_VERSION}` });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: { code: 'UnprocessableEntity', message: 'The request body is required' } });
    await app.close();
  });

  it('sends a response as the handler built it, properties the spec leaves out included', async () => {
    const app = appWithSchemas();
    app.get('/jobs/:jobId', centralRoute('Jobs_Get'), async () => ({ id: 'j1', group: 'g', data: [], '@context': 'kept', progress: 7 }));
    const res = await app.inject({ method: 'GET', url: `/jobs/j1?api-version=${API_VERSION}` });
    expect(res.json()).toEqual({ id: 'j1', group: 'g', data: [], '@context': 'kept', progress: 7 });
    await app.close();
  });

  it('turns an answer that breaks the spec into a 500 naming the violation when answers are checked (as in the tests)', async () => {
    const app = appWithSchemas();
    checkAnswersAgainstSpec(app);
    app.get<{ Params: { jobId: string } }>('/jobs/:jobId', centralRoute('Jobs_Get'), async (request) =>
      ({ id: request.params.jobId, group: request.params.jobId === 'good' ? 'g' : 7, data: [{ type: 'command', target: 'dtmi:fleetlab:pump;1', path: 'reboot' }] }),
    );
    const good = await app.inject({ method: 'GET', url: `/jobs/good?api-version=${API_VERSION}` });
    expect(good.statusCode, good.body).toBe(200);
    const bad = await app.inject({ method: 'GET', url: `/jobs/bad?api-version=${API_VERSION}` });
    expect(bad.statusCode).toBe(500);
    expect(bad.json()).toMatchObject({ error: { code: 'InternalServerError', message: 'The Jobs_Get answer 200 breaks the 2022-07-31 spec: group: must be a string' } });
    await app.close();
  });

  it('answers an operation that the request\'s api-version lacks with 404', async () => {
    const app = appWithSchemas();
    app.post('/query', centralRoute('Query_Run'), async () => ({ results: [] }));
    const res = await app.inject({ method: 'POST', url: `/query?api-version=${API_VERSION}`, payload: { query: 'SELECT * FROM dtmi:x;1' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'NotFound', message: 'Query_Run is not part of IoT Central API version 2022-07-31.' } });
    await app.close();
  });

  it.each([
    ['an operation no spec defines', '/jobs/:jobId', { config: { operation: 'Jobs_Explode' } }, 'which neither IoT Central spec defines'],
    ['another method than the spec', '/jobs/:jobId', centralRoute('Jobs_Get'), 'which the spec defines as GET /jobs/{jobId}'],
    ['other path parameter names than the spec', '/jobs/:id', centralRoute('Jobs_Create'), "but lacks the spec's path parameter :jobId"],
    ['an operation but not its schema', '/jobs/:jobId', { config: { operation: 'Jobs_Create' } }, 'but does not carry its schema'],
  ])('refuses at startup a route with %s', (_case, url, options, detail) => {
    const app = appWithSchemas();
    expect(() => app.put(url, options, async () => ({}))).toThrow(detail);
  });
});
