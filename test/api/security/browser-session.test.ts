import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../../electron/api/browser-session.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { cookieFrom, rawRequest } from '../../helpers/raw-http.js';
import { signIn, STUB_UI_MARKER, stubRendererDir } from '../../helpers/ui-session.js';

describe('the browser session: granted once per one-time code, to a loopback peer of the emulator itself', () => {
  let host: TestHost;
  let ui: Awaited<ReturnType<typeof stubRendererDir>>;
  const info = (headers: Record<string, string>) => rawRequest(`${host.url}/_fleetlab/info`, { headers });

  beforeAll(async () => {
    ui = await stubRendererDir();
    host = await startTestHost({ rendererDir: ui.dir, simulatorThreads: 1 });
  });
  afterAll(async () => {
    await host.stop();
    await ui.remove();
  });

  it('gives no cookie to a client that sends neither code, Origin nor Sec-Fetch-Site, and says how to open the UI', async () => {
    const page = await rawRequest(`${host.url}/`);
    expect(page.status).toBe(403);
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.body).toContain('address it printed');
    expect(page.body).not.toContain(STUB_UI_MARKER);
  });

  it('trades a code for an HttpOnly SameSite=Strict cookie and a redirect to / without the code', async () => {
    const answer = await rawRequest(`${host.url}/?code=${host.sessionCode()}`);
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/');
    const setCookie = [answer.headers['set-cookie']].flat().join(';');
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);

    const cookie = cookieFrom(answer, SESSION_COOKIE)!;
    const app = await rawRequest(`${host.url}/`, { headers: { cookie } });
    expect(app.status).toBe(200);
    expect(app.body).toContain(STUB_UI_MARKER);
    const infoAnswer = await info({ cookie });
    expect(infoAnswer.status).toBe(200);
    expect(JSON.parse(infoAnswer.body)).not.toHaveProperty('token');
  });

  it('refuses a code a second time, and a code it never minted', async () => {
    const code = host.sessionCode();
    await signIn(host.url, code);
    for (const spent of [code, 'not-a-code', '']) {
      const again = await rawRequest(`${host.url}/?code=${spent}`);
      expect(again.status, spent).toBe(403);
      expect(again.headers['set-cookie'], spent).toBeUndefined();
    }
  });

  it('refuses a forged Host, even with a valid code', async () => {
    const code = host.sessionCode();
    const forged = await rawRequest(`${host.url}/?code=${code}`, { headers: { host: 'attacker.example' } });
    expect(forged.status).toBe(403);
    expect(forged.headers['set-cookie']).toBeUndefined();
  });

  it('honours the cookie only from the emulator\'s own origin: a foreign or null Origin, or a cross-site fetch, is anonymous', async () => {
    const cookie = await signIn(host.url, host.sessionCode());
    const own = `http://${new URL(host.url).host}`;
    expect((await info({ cookie })).status).toBe(200);
    expect((await info({ cookie, origin: own })).status).toBe(200);
    expect((await info({ cookie, origin: 'https://attacker.example' })).status).toBe(401);
    expect((await info({ cookie, origin: 'null' })).status).toBe(401);
    expect((await info({ cookie, 'sec-fetch-site': 'cross-site' })).status).toBe(401);
    expect((await info({ cookie, host: 'attacker.example' })).status).toBe(403);
  });

  it('does not accept a cookie value it did not grant', async () => {
    expect((await info({ cookie: `${SESSION_COOKIE}=guessed` })).status).toBe(401);
  });

  it('mints codes through POST /_fleetlab/session-codes, for administrators only', async () => {
    const minted = await host.call('POST', '/_fleetlab/session-codes');
    expect(minted.status).toBe(201);
    const { url } = (await minted.json()) as { url: string };
    expect(url).toMatch(new RegExp(`^${host.url}/\\?code=[\\w-]{43}$`));
    expect((await rawRequest(url)).status).toBe(303);
  });
});
