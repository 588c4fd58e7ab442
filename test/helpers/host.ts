import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHost, type Host, type HostOptions } from '../../electron/host.js';

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
  return {
    ...host,
    dataDir,
    call: (method, pathAndQuery, body, headers = {}) =>
      fetch(`${host.url}${pathAndQuery}`, {
        method,
        headers: {
          authorization: host.token,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    stop: async () => {
      await host.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
