import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { startHost, type Host, type HostOptions } from '../../electron/host.js';
import { httpsFetch } from './tls-http.js';

export interface TestHost extends Host {
  dataDir: string;
  /** fetch against the host with its admin token and JSON handling. */
  call(method: string, pathAndQuery: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

/** A real host on a free port with its own temporary data dir. */
export async function startTestHost(options: Partial<HostOptions> = {}): Promise<TestHost> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'fleetlab-test-')));
  const host = await startHost({ port: 0, onNotice: () => {}, checkResponses: true, ...options, dataDir });
  // An HTTPS host with Fleetlab's own CA is called trusting that CA alone.
  const ca = host.caCertificatePath && (await readFile(host.caCertificatePath, 'utf8'));
  return {
    ...host,
    dataDir,
    call: (method, pathAndQuery, body, headers = {}) => {
      const init = {
        method,
        headers: {
          authorization: host.token,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      };
      return ca ? httpsFetch(`${host.url}${pathAndQuery}`, init, ca) : fetch(`${host.url}${pathAndQuery}`, init);
    },
    stop: async () => {
      await host.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
