import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoggedRequest, RequestSummary } from '../../../electron/api/control/schema/requests.js';
import { buildDist } from '../../helpers/emulator-process.js';
import { startServeProcess, type ServeProcess } from '../../helpers/serve-process.js';

const ADMIN = 'SharedAccessSignature sr=redaction&sig=redaction-secret&skn=redaction&se=4102444800000';
const OPERATOR_ROLE = 'ae2c9854-393b-4f97-8c42-479d70ce626e';

describe('token values in the request log and the emulator output', () => {
  let dataDir: string;
  let serve: ServeProcess;
  const call = (method: string, pathAndQuery: string, body?: unknown, authorization = ADMIN) =>
    fetch(`${serve.url}${pathAndQuery}`, {
      method,
      headers: { authorization, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    buildDist();
    dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-redaction-'));
    serve = await startServeProcess(dataDir, ADMIN);
  });
  afterAll(async () => {
    await serve?.signal('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows neither a created token nor the token that created it, in the list or in any entry, nor in any output line', async () => {
    const created = await call('PUT', '/api/apiTokens/redaction-probe?api-version=2022-07-31', { roles: [{ role: OPERATOR_ROLE }] });
    expect(created.status).toBe(200);
    const { token } = (await created.json()) as { token: string };
    expect(token).toMatch(/^SharedAccessSignature /);
    // The new token used once, so that its own requests are in the log too.
    expect((await call('GET', '/api/jobs?api-version=2022-07-31', undefined, token)).status).toBe(200);
    // A token sent inside a body, as a client bug might, is redacted all the same.
    await call('PUT', '/api/organizations/redaction-org?api-version=2022-07-31', { displayName: token });

    const list = await call('GET', '/_fleetlab/requests?limit=500');
    const { requests } = (await list.json()) as { requests: RequestSummary[] };
    expect(requests.map((request) => request.url)).toContain('/api/apiTokens/redaction-probe?api-version=2022-07-31');
    const entries = await Promise.all(requests.map(async ({ id }) => (await (await call('GET', `/_fleetlab/requests/${id}`)).json()) as LoggedRequest));
    const createEntry = entries.find((entry) => entry.method === 'PUT' && entry.url.startsWith('/api/apiTokens/'))!;
    expect(JSON.parse(createEntry.responseBody.text)).toMatchObject({ id: 'redaction-probe', token: '(redacted)' });

    const secrets = [token, token.split(' ')[1]!, new URLSearchParams(token.split(' ')[1]).get('sig')!, ADMIN, 'redaction-secret'];
    const everything = [JSON.stringify(requests), ...entries.map((entry) => JSON.stringify(entry)), serve.stdout(), serve.stderr()];
    for (const secret of secrets) for (const text of everything) expect(text).not.toContain(secret);
  });
});
