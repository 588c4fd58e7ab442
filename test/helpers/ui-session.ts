import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SESSION_COOKIE } from '../../electron/api/browser-session.js';
import { cookieFrom, rawRequest } from './raw-http.js';

export const STUB_UI_MARKER = 'fleetlab-test-ui';

/** A renderer directory with a stub index.html, so that hosts serve the UI whether or not dist/ is built. */
export async function stubRendererDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fleetlab-ui-'));
  await writeFile(path.join(dir, 'index.html'), `<!doctype html><title>${STUB_UI_MARKER}</title>`);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Redeems a one-time code at `origin` as a browser would and returns the `Cookie` header value it was given. */
export async function signIn(origin: string, code: string): Promise<string> {
  const response = await rawRequest(`${origin}/?code=${encodeURIComponent(code)}`);
  const cookie = cookieFrom(response, SESSION_COOKIE);
  if (response.status !== 303 || !cookie) throw new Error(`GET /?code= answered ${response.status} without a session cookie`);
  return cookie;
}
