import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { rawRequest } from '../../helpers/raw-http.js';
import { signIn, stubRendererDir } from '../../helpers/ui-session.js';

// Every route any surface registers, as Fastify's onRoute sees it: a route without an entry below fails the test.
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

type Right = 'read' | 'runJobs' | 'manageDevices' | 'manageTemplates' | 'manageTokens' | 'manageOrganizations' | 'controlSimulation' | 'administer';
/** Any caller that authenticates; `sigv4`: only AWS SigV4 signatures count, IoT Central tokens and the session do not. */
type Need = Right | 'authenticated' | 'sigv4';
type Caller = 'no token' | 'operator' | 'builder' | 'administrator' | 'session cookie';
const CALLERS: Caller[] = ['no token', 'operator', 'builder', 'administrator', 'session cookie'];

// What the roles allow, as docs/api.md documents them (IoT Central's roles plus Fleetlab's two control rights).
const RIGHTS: Record<Exclude<Caller, 'no token'>, Right[]> = {
  operator: ['read', 'runJobs', 'manageDevices'],
  builder: ['read', 'runJobs', 'manageDevices', 'manageTemplates', 'controlSimulation'],
  administrator: ['read', 'runJobs', 'manageDevices', 'manageTemplates', 'manageTokens', 'manageOrganizations', 'controlSimulation', 'administer'],
  'session cookie': ['read', 'runJobs', 'manageDevices', 'manageTemplates', 'manageTokens', 'manageOrganizations', 'controlSimulation', 'administer'],
};

const d = '/api/devices/:deviceId';
const m = `${d}/modules/:moduleName`;
const API: Record<string, Need> = {
  'GET /api/jobs': 'read',
  'GET /api/jobs/:jobId': 'read',
  'PUT /api/jobs/:jobId': 'runJobs',
  'GET /api/jobs/:jobId/devices': 'read',
  'POST /api/jobs/:jobId/stop': 'runJobs',
  'POST /api/jobs/:jobId/resume': 'runJobs',
  'PUT /api/jobs/:jobId/rerun/:rerunId': 'runJobs',
  'GET /api/apiTokens': 'manageTokens',
  'GET /api/apiTokens/:tokenId': 'manageTokens',
  'PUT /api/apiTokens/:tokenId': 'manageTokens',
  'DELETE /api/apiTokens/:tokenId': 'manageTokens',
  'GET /api/roles': 'read',
  'GET /api/roles/:roleId': 'read',
  'GET /api/devices': 'read',
  [`GET ${d}`]: 'read',
  [`PUT ${d}`]: 'manageDevices',
  [`PATCH ${d}`]: 'manageDevices',
  [`DELETE ${d}`]: 'manageDevices',
  [`GET ${d}/components`]: 'read',
  [`GET ${d}/properties`]: 'read',
  [`PUT ${d}/properties`]: 'manageDevices',
  [`PATCH ${d}/properties`]: 'manageDevices',
  [`GET ${d}/components/:componentName/properties`]: 'read',
  [`PUT ${d}/components/:componentName/properties`]: 'manageDevices',
  [`PATCH ${d}/components/:componentName/properties`]: 'manageDevices',
  [`POST ${d}/commands/:commandName`]: 'manageDevices',
  [`GET ${d}/commands/:commandName`]: 'read',
  [`POST ${d}/components/:componentName/commands/:commandName`]: 'manageDevices',
  [`GET ${d}/components/:componentName/commands/:commandName`]: 'read',
  [`GET ${d}/attestation`]: 'read',
  [`PUT ${d}/attestation`]: 'manageDevices',
  [`PATCH ${d}/attestation`]: 'manageDevices',
  [`DELETE ${d}/attestation`]: 'manageDevices',
  [`GET ${d}/credentials`]: 'read',
  [`GET ${d}/relationships`]: 'read',
  // 1.2-preview's file spells the relationships list with a trailing slash.
  [`GET ${d}/relationships/`]: 'read',
  [`GET ${d}/relationships/:relationshipId`]: 'read',
  [`PUT ${d}/relationships/:relationshipId`]: 'manageDevices',
  [`PATCH ${d}/relationships/:relationshipId`]: 'manageDevices',
  [`DELETE ${d}/relationships/:relationshipId`]: 'manageDevices',
  [`GET ${d}/telemetry/:telemetryName`]: 'read',
  [`GET ${d}/components/:componentName/telemetry/:telemetryName`]: 'read',
  [`GET ${d}/modules`]: 'read',
  [`GET ${m}/components`]: 'read',
  [`GET ${m}/properties`]: 'read',
  [`PUT ${m}/properties`]: 'manageDevices',
  [`PATCH ${m}/properties`]: 'manageDevices',
  [`GET ${m}/telemetry/:telemetryName`]: 'read',
  [`GET ${m}/commands/:commandName`]: 'read',
  [`POST ${m}/commands/:commandName`]: 'manageDevices',
  [`GET ${m}/components/:componentName/properties`]: 'read',
  [`PUT ${m}/components/:componentName/properties`]: 'manageDevices',
  [`PATCH ${m}/components/:componentName/properties`]: 'manageDevices',
  [`GET ${m}/components/:componentName/telemetry/:telemetryName`]: 'read',
  [`GET ${m}/components/:componentName/commands/:commandName`]: 'read',
  [`POST ${m}/components/:componentName/commands/:commandName`]: 'manageDevices',
  // Not emulated: 501 for whoever is authenticated.
  [`POST ${d}/applyDeploymentManifest`]: 'authenticated',
  'GET /api/deviceTemplates': 'read',
  'GET /api/deviceTemplates/:deviceTemplateId': 'read',
  'PUT /api/deviceTemplates/:deviceTemplateId': 'manageTemplates',
  'PATCH /api/deviceTemplates/:deviceTemplateId': 'manageTemplates',
  'DELETE /api/deviceTemplates/:deviceTemplateId': 'manageTemplates',
  'GET /api/deviceGroups': 'read',
  'GET /api/deviceGroups/:deviceGroupId': 'read',
  'PUT /api/deviceGroups/:deviceGroupId': 'manageDevices',
  'PATCH /api/deviceGroups/:deviceGroupId': 'manageDevices',
  'DELETE /api/deviceGroups/:deviceGroupId': 'manageDevices',
  'GET /api/deviceGroups/:deviceGroupId/devices': 'read',
  'GET /api/enrollmentGroups': 'read',
  'GET /api/enrollmentGroups/:enrollmentGroupId': 'read',
  // Fleetlab has the default SAS group only: changing groups and their X.509 certificates answers 501.
  'PUT /api/enrollmentGroups/:enrollmentGroupId': 'authenticated',
  'PATCH /api/enrollmentGroups/:enrollmentGroupId': 'authenticated',
  'DELETE /api/enrollmentGroups/:enrollmentGroupId': 'authenticated',
  'GET /api/enrollmentGroups/:enrollmentGroupId/certificates/:entry': 'authenticated',
  'PUT /api/enrollmentGroups/:enrollmentGroupId/certificates/:entry': 'authenticated',
  'DELETE /api/enrollmentGroups/:enrollmentGroupId/certificates/:entry': 'authenticated',
  'POST /api/enrollmentGroups/:enrollmentGroupId/certificates/:entry/generateVerificationCode': 'authenticated',
  'POST /api/enrollmentGroups/:enrollmentGroupId/certificates/:entry/verify': 'authenticated',
  'GET /api/organizations': 'read',
  'GET /api/organizations/:organizationId': 'read',
  'PUT /api/organizations/:organizationId': 'manageOrganizations',
  'PATCH /api/organizations/:organizationId': 'manageOrganizations',
  'DELETE /api/organizations/:organizationId': 'manageOrganizations',
  'GET /api/scheduledJobs': 'read',
  'GET /api/scheduledJobs/:scheduledJobId': 'read',
  'PUT /api/scheduledJobs/:scheduledJobId': 'runJobs',
  'PATCH /api/scheduledJobs/:scheduledJobId': 'runJobs',
  'DELETE /api/scheduledJobs/:scheduledJobId': 'runJobs',
  'GET /api/scheduledJobs/:scheduledJobId/jobs': 'read',
};

const CONTROL: Record<string, Need> = {
  'GET /_fleetlab/info': 'read',
  'GET /_fleetlab/connected-devices': 'read',
  'GET /_fleetlab/ca.pem': 'read',
  'GET /_fleetlab/events': 'read',
  'GET /_fleetlab/simulation': 'read',
  'PUT /_fleetlab/simulation': 'controlSimulation',
  'POST /_fleetlab/clock/advance': 'controlSimulation',
  'GET /_fleetlab/fleet': 'read',
  'POST /_fleetlab/fleet': 'controlSimulation',
  'GET /_fleetlab/fleet/summary': 'read',
  'GET /_fleetlab/devices': 'read',
  'POST /_fleetlab/groups/preview': 'read',
  'GET /_fleetlab/scheduled-jobs/next-runs': 'read',
  'GET /_fleetlab/templates/:templateId/behavior': 'read',
  'PUT /_fleetlab/templates/:templateId/behavior': 'controlSimulation',
  'GET /_fleetlab/devices/:deviceId/behavior': 'read',
  'PUT /_fleetlab/devices/:deviceId/behavior': 'controlSimulation',
  'GET /_fleetlab/templates/:templateId/capabilities': 'read',
  'GET /_fleetlab/jobs/:jobId/devices': 'read',
  'GET /_fleetlab/jobs/:jobId/outcomes': 'read',
  'POST /_fleetlab/jobs/dry-run': 'read',
  'GET /_fleetlab/aws/thing-groups': 'read',
  'GET /_fleetlab/aws/jobs': 'read',
  'GET /_fleetlab/aws/jobs/:jobId': 'read',
  'GET /_fleetlab/aws/jobs/:jobId/executions': 'read',
  'POST /_fleetlab/aws/jobs': 'runJobs',
  'POST /_fleetlab/aws/jobs/dry-run': 'read',
  'POST /_fleetlab/aws/jobs/:jobId/cancel': 'runJobs',
  'PUT /_fleetlab/aws/files/:bucket/:key': 'runJobs',
  'GET /_fleetlab/snapshot': 'administer',
  'PUT /_fleetlab/snapshot': 'administer',
  'GET /_fleetlab/requests': 'administer',
  'GET /_fleetlab/requests/:requestId': 'administer',
  'DELETE /_fleetlab/requests': 'administer',
  'POST /_fleetlab/session-codes': 'administer',
  // Last: it wipes the state the other cells use.
  'POST /_fleetlab/reset': 'administer',
};

/** Rules for whole groups of routes: the catch-alls that answer unknown paths, and the AWS dialects' model operations. */
function ruleFor(url: string): Need | undefined {
  if (/^\/(api|system|_fleetlab)(\/\*)?$/.test(url)) return 'authenticated';
  if (/^\/(aws(-jobs-data)?|s3)(\/|$)/.test(url)) return 'sigv4';
  return undefined;
}

/** What the table expects of a route, HEAD answering as its GET; undefined for a route the table does not name. */
function needOf(method: string, url: string): Need | undefined {
  const key = `${method === 'HEAD' ? 'GET' : method} ${url}`;
  return API[key] ?? CONTROL[key] ?? ruleFor(url);
}

const UI_ROUTES = new Set(['GET /', 'HEAD /', 'GET /*', 'HEAD /*']);

describe('who may call which route: every route of /api, /system, /_fleetlab, /aws, /aws-jobs-data and /s3', () => {
  let host: TestHost;
  let ui: Awaited<ReturnType<typeof stubRendererDir>>;
  const headersOf: Partial<Record<Caller, Record<string, string>>> = {};

  beforeAll(async () => {
    ui = await stubRendererDir();
    host = await startTestHost({ rendererDir: ui.dir, simulatorThreads: 1 });
    const tokenFor = async (id: string, role: string) => {
      const res = await host.call('PUT', `/api/apiTokens/${id}?api-version=2022-07-31`, { roles: [{ role }] });
      return ((await res.json()) as { token: string }).token;
    };
    headersOf['no token'] = {};
    headersOf.operator = { authorization: await tokenFor('matrix-operator', 'ae2c9854-393b-4f97-8c42-479d70ce626e') };
    headersOf.builder = { authorization: await tokenFor('matrix-builder', '344138e9-8de4-4497-8c54-5237e96d6aaf') };
    headersOf.administrator = { authorization: host.token };
    headersOf['session cookie'] = { cookie: await signIn(host.url, host.sessionCode()) };
  });
  afterAll(async () => {
    await host.stop();
    await ui.remove();
  });

  it('names every registered route in the table, and nothing that is not registered', () => {
    const routes = registered.filter(({ method, url }) => !UI_ROUTES.has(`${method} ${url}`));
    expect(routes.length).toBeGreaterThan(100);
    expect(routes.filter(({ method, url }) => needOf(method, url) === undefined).map(({ method, url }) => `${method} ${url}`)).toEqual([]);
    const keys = new Set(routes.map(({ method, url }) => `${method} ${url}`));
    expect(Object.keys({ ...API, ...CONTROL }).filter((key) => !keys.has(key))).toEqual([]);
  });

  it('names every path of /api and /_fleetlab in docs/api.md, implemented or answering 501', async () => {
    const withoutParamNames = (path: string) => path.replace(/\{[^}]+\}|:\w+/g, '{}');
    const doc = withoutParamNames(await readFile(new URL('../../../docs/api.md', import.meta.url), 'utf8'));
    const named = (path: string) => ['`', ' ', '?', '['].some((end) => doc.includes(`${withoutParamNames(path)}${end}`));
    const paths = new Set(registered.map(({ url }) => url.replace(/\/$/, '')).filter((url) => /^\/(api|_fleetlab)\/[^*]/.test(url)));
    expect(paths.size).toBeGreaterThan(60);
    expect([...paths].filter((path) => !named(path))).toEqual([]);
  });

  it('answers each caller as its role allows: 401 without a token, 403 without the right, otherwise the route itself', async () => {
    const routes = registered.filter(({ method, url }) => !UI_ROUTES.has(`${method} ${url}`));
    const ordered = [...routes.filter(({ url }) => url !== '/_fleetlab/reset'), ...routes.filter(({ url }) => url === '/_fleetlab/reset')];
    const wrong: string[] = [];
    for (const { method, url } of ordered) {
      const need = needOf(method, url)!;
      const path = url.replace(/:\w+/g, 'matrix-probe').replace('*', 'matrix-unknown');
      const query = path.startsWith('/api') ? '?api-version=2022-07-31' : '';
      const hasBody = ['PUT', 'POST', 'PATCH', 'QUERY'].includes(method);
      for (const caller of CALLERS) {
        const res = await rawRequest(`${host.url}${path}${query}`, {
          method,
          headers: { ...headersOf[caller], ...(hasBody && { 'content-type': 'application/json' }) },
          ...(hasBody && { body: '{}' }),
          headersOnly: url.endsWith('/events'),
        });
        const expected = expectedOf(need, caller);
        // The local S3 refuses as S3 does, in an XML body (HEAD: its status alone): AccessDenied, or a 400 for an
        // Authorization header that is not SigV4.
        const s3Code = /<Code>(\w+)<\/Code>/.exec(res.body)?.[1] ?? (method === 'HEAD' && [400, 403].includes(res.status) ? 'AccessDenied' : undefined);
        const s3Refusal = /^\/s3(\/|$)/.test(url) ? s3Code : undefined;
        const answered = verdictOf(res.status, res.headers['x-amzn-errortype'] ?? s3Refusal);
        if (answered !== expected) wrong.push(`${method} ${path} as ${caller}: expected ${expected}, answered ${res.status} ${String(res.headers['x-amzn-errortype'] ?? '')}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

type Verdict = '401 unauthenticated' | '403 forbidden' | 'refused by SigV4' | 'served';
const SIGV4_REFUSALS = new Set(['AccessDenied', 'AuthorizationHeaderMalformed', 'MissingAuthenticationTokenException', 'IncompleteSignatureException', 'InvalidSignatureException', 'UnrecognizedClientException']);

function expectedOf(need: Need, caller: Caller): Verdict {
  if (need === 'sigv4') return 'refused by SigV4';
  if (caller === 'no token') return '401 unauthenticated';
  if (need === 'authenticated') return 'served';
  return RIGHTS[caller].includes(need) ? 'served' : '403 forbidden';
}

function verdictOf(status: number, awsErrorType: string | string[] | undefined): Verdict {
  if (typeof awsErrorType === 'string' && SIGV4_REFUSALS.has(awsErrorType)) return 'refused by SigV4';
  if (status === 401) return '401 unauthenticated';
  if (status === 403) return '403 forbidden';
  return 'served';
}
