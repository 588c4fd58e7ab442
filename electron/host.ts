import type { AddressInfo } from 'node:net';
import { awsCredentialsFromEnv } from './api/aws/credentials.js';
import type { AwsCredentials } from './api/aws/sigv4.js';
import { buildServer } from './api/server.js';
import { ApiTokens } from './domain/api-tokens.js';
import { createAwsServices } from './domain/aws/aws-services.js';
import { createDeviceServices } from './domain/devices/device-services.js';
import { EmulatorState } from './domain/emulator-state.js';
import type { DeviceSlice } from './domain/fleet-executor.js';
import { JobEngine } from './domain/jobs/job-engine.js';
import { JobScheduler } from './domain/jobs/scheduler.js';
import { maintenanceWindowGate } from './domain/aws/maintenance-windows.js';
import type { Services } from './domain/services.js';
import { SimulationClock } from './domain/simulation-clock.js';
import { SimulationSettings } from './domain/simulation-settings.js';
import { openAppStore } from './store/app-store.js';
import { FsJobDeviceFiles } from './store/job-files.js';
import { packageVersion, rendererDir } from './paths.js';
import { simulateOne } from '../simulator/behavior.js';
import { createSimulatorPool } from '../simulator/pool.js';

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
  /** Simulator worker threads; the machine's available parallelism when absent. */
  simulatorThreads?: number;
  /** Where the host reports things a user must know (a data file moved aside). */
  onNotice?: (message: string) => void;
  /** Credentials AWS SigV4 requests must be signed with; FLEETLAB_AWS_ACCESS_KEY_ID / FLEETLAB_AWS_SECRET_ACCESS_KEY or defaults when absent. */
  awsCredentials?: AwsCredentials;
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
  const clock = new SimulationClock(store.data.simulation.timeScale);
  const tokens = new ApiTokens(store, clock, 'fleetlab');
  let token: string;
  if (options.apiToken) {
    tokens.registerEphemeral(options.apiToken);
    token = options.apiToken;
  } else {
    token = tokens.mintEphemeral('fleetlab-host');
  }
  const executor = createSimulatorPool(options.simulatorThreads === undefined ? {} : { threads: options.simulatorThreads });
  const files = new FsJobDeviceFiles<DeviceSlice[]>(options.dataDir);
  const deviceServices = createDeviceServices(store, clock, { simulateOne, reportedProperties: (id) => jobs.reportedProperties(id) });
  const jobs: JobEngine = new JobEngine({
    store,
    files,
    clock,
    executor,
    fleet: {
      resolveGroup: (id) => deviceServices.groups.resolveGroup(id),
      behaviorFor: (slices) => deviceServices.behavior.behaviorFor(slices),
      normalizeJobValue: (template, kind, path, value) => deviceServices.templates.normalizeJobValue(template, kind, path, value),
    },
    gateFor: maintenanceWindowGate,
    onNotice: notice,
  });
  const scheduler = new JobScheduler(store, clock, jobs);
  const services: Services = {
    ...deviceServices,
    clock,
    tokens,
    jobs,
    scheduler,
    simulation: new SimulationSettings(store, clock),
    aws: createAwsServices(store, clock, deviceServices, jobs),
    state: new EmulatorState(store, files, jobs, scheduler, () => {
      deviceServices.devices.invalidate();
      if (clock.timeScale !== store.data.simulation.timeScale) clock.setTimeScale(store.data.simulation.timeScale);
    }),
  };
  await jobs.recover();
  scheduler.start();

  const { app, policy } = await buildServer({
    services,
    hostToken: token,
    version: packageVersion(),
    rendererDir: options.rendererDir ?? rendererDir(),
    logger: options.logger,
    awsCredentials: options.awsCredentials ?? awsCredentialsFromEnv(process.env),
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
        scheduler.close();
        clock.close();
        await jobs.close();
        await executor.close();
        await store.save();
      })()),
  };
}
