import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { createNamespacePeer, type NamespacePeer } from '../../helpers/network-namespace.js';
import { STUB_UI_MARKER, stubRendererDir } from '../../helpers/ui-session.js';

const peer = await createNamespacePeer();
const refused = 'refused' in peer ? peer.refused : undefined;
if (refused) console.log(`Skipping the network peer session tests: cannot create a network namespace here (${refused}); they need root and \`ip netns\`.`);

interface CurlAnswer {
  status: number;
  headers: string;
  body: string;
}

describe.skipIf(refused !== undefined)('the browser session with --host on a network address, from a peer on that network', () => {
  const namespace = peer as NamespacePeer;
  let host: TestHost;
  let ui: Awaited<ReturnType<typeof stubRendererDir>>;

  // curl from inside the namespace: a client whose socket address is not loopback.
  const curl = async (url: string, headers: Record<string, string> = {}): Promise<CurlAnswer> => {
    const out = await namespace.exec('curl', ['--silent', '--include', '--max-time', '10', ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]), url]);
    const [head = '', ...rest] = out.split('\r\n\r\n');
    return { status: Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head)?.[1]), headers: head, body: rest.join('\r\n\r\n') };
  };
  const cookieOf = (answer: CurlAnswer) => /^set-cookie: ([^;\r\n]+)/im.exec(answer.headers)?.[1];

  beforeAll(async () => {
    ui = await stubRendererDir();
    host = await startTestHost({ host: namespace.hostAddress, rendererDir: ui.dir, simulatorThreads: 1 });
  });
  afterAll(async () => {
    await host?.stop();
    await ui?.remove();
    await namespace.remove();
  });

  it('without the code, gets the page saying how to open the UI and no cookie', async () => {
    const answer = await curl(`${host.url}/`);
    expect(answer.status).toBe(403);
    expect(cookieOf(answer)).toBeUndefined();
    expect(answer.body).not.toContain(STUB_UI_MARKER);
  });

  it('with the code, gets the cookie, and the cookie opens the UI and the API', async () => {
    const signedIn = await curl(`${host.url}/?code=${host.sessionCode()}`);
    expect(signedIn.status).toBe(303);
    const cookie = cookieOf(signedIn)!;
    expect(cookie).toMatch(/^fleetlab_session=/);
    expect((await curl(`${host.url}/`, { cookie })).body).toContain(STUB_UI_MARKER);
    expect((await curl(`${host.url}/_fleetlab/info`, { cookie })).status).toBe(200);
    expect((await curl(`${host.url}/_fleetlab/info`)).status).toBe(401);
  });
});
