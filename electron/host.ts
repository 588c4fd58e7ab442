import type { AddressInfo } from 'node:net';
import { buildServer } from './api/server.js';
import { ApiTokens } from './domain/api-tokens.js';
import { systemClock } from './domain/clock.js';
import { JobCatalog } from './domain/job-catalog.js';
import type { Services } from './domain/services.js';
import { openAppStore } from './store/app-store.js';
import { packageVersion, rendererDir } from './paths.js';

export interface HostOptions {
  /** Where Fleetlab keeps its data; created when missing. */
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Interface to bind; loopback unless said otherwise. */
  host?: string;
  /** A whole Authorization header value to accept as an App Administrator token (FLEETLAB_API_TOKEN). */
  apiToken?: string;
  rendererDir?: string;
  logger?: boolean;
  /** Where the host reports things a user must know (a data file moved aside). */
  onNotice?: (message: string) => void;
}

export interface Host {
  url: string;
  /** An App Administrator token valid for this host's lifetime. */
  token: string;
  close(): Promise<void>;
}

/** Starts store, engine and HTTP server: the one way the app, the CLI and the tests run an emulator. */
export async function startHost(options: HostOptions): Promise<Host> {
  const notice = options.onNotice ?? ((message: string) => console.warn(message));
  const store = await openAppStore(options.dataDir, notice);
  const clock = systemClock;
  const tokens = new ApiTokens(store, clock, 'fleetlab');
  let token: string;
  if (options.apiToken) {
    tokens.registerEphemeral(options.apiToken);
    token = options.apiToken;
  } else {
    token = tokens.mintEphemeral('fleetlab-host');
  }
  const services: Services = { clock, tokens, jobs: new JobCatalog(store) };

  const { app, policy } = await buildServer({
    services,
    hostToken: token,
    version: packageVersion(),
    rendererDir: options.rendererDir ?? rendererDir(),
    logger: options.logger,
  });
  const bindHost = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host: bindHost });
  const { port } = app.server.address() as AddressInfo;
  policy.bind(bindHost, port);
  const urlHost = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost.includes(':') ? `[${bindHost}]` : bindHost;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    token,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await store.save();
      })()),
  };
}
