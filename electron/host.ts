import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { awsCredentialsFromEnv } from './api/aws/credentials.js';
import type { AwsCredentials } from './api/aws/sigv4.js';
import { createLogger, type LogLevel } from './api/logger.js';
import { buildServer } from './api/server.js';
import { ApiTokens } from './domain/api-tokens.js';
import { createAwsServices } from './domain/aws/aws-services.js';
import { createDeviceServices } from './domain/devices/device-services.js';
import { EmulatorState } from './domain/emulator-state.js';
import type { DeviceSlice } from './domain/fleet-executor.js';
import { messageOf, Supervisor } from './domain/background.js';
import { JobEngine } from './domain/jobs/job-engine.js';
import { CentralJobs } from './domain/central/central-jobs.js';
import { JobScheduler } from './domain/central/scheduled-jobs.js';
import type { Services } from './domain/services.js';
import { SimulationClock } from './domain/simulation-clock.js';
import { SimulationSettings } from './domain/simulation-settings.js';
import { openFleetlabStore } from './domain/persisted.js';
import { FsJobDeviceFiles } from './store/fs-job-files.js';
import { ObjectFiles } from './store/object-files.js';
import { UploadFiles } from './store/upload-files.js';
import { LocalS3 } from './domain/s3/local-s3.js';
import { PresignedUrls } from './api/s3/presigned-urls.js';
import { S3_MOUNT } from './api/server.js';
import { withDefaults, type EmulatorLimits } from './limits.js';
import { httpsCredentials, type HttpsChoice } from './tls/https-credentials.js';
import { localCaIssuer } from './tls/local-ca.js';
import type { DeviceBroker } from './mqtt/broker.js';
import { brokerHost, deviceEndpoints, startDeviceListeners, type DeviceEndpoints, type MqttChoice } from './mqtt/device-listeners.js';
import { ProtocolRegistry } from './mqtt/protocol-registry.js';
import { registerDeviceProtocols } from './mqtt/device-protocols.js';
import { HubDevices } from './domain/hub/hub-devices.js';
import { HubJobAnswerer } from './domain/hub/hub-job-answerer.js';
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
  /** Fastify's log level, JSON lines on stderr (--log-level); nothing is logged when absent. */
  logLevel?: LogLevel;
  /** Body and filter limits (--max-body-kb, --max-snapshot-mb, --max-json-depth, --max-filter-*); defaults for those left out. */
  limits?: Partial<EmulatorLimits>;
  /** Simulator worker threads; the machine's available parallelism when absent. */
  simulatorThreads?: number;
  /** Where the host reports things a user must know (a data file moved aside). */
  onNotice?: (message: string) => void;
  /** Credentials AWS SigV4 requests must be signed with; FLEETLAB_AWS_ACCESS_KEY_ID / FLEETLAB_AWS_SECRET_ACCESS_KEY or defaults when absent. */
  awsCredentials?: AwsCredentials;
  /** Server-Sent Event streams the UI may hold open at once (GET /_fleetlab/events); 100 when absent. */
  maxEventStreams?: number;
  /** Answer 500 when an IoT Central answer breaks its spec response schema: for tests, so every answer they see is checked. */
  checkResponses?: boolean;
  /** Believe a reverse proxy's X-Forwarded-Proto / X-Forwarded-Host headers (--trust-proxy). */
  trustProxy?: boolean;
  /** Serve HTTPS instead of HTTP (--https, --cert/--key, --pfx/--pwd). */
  https?: HttpsChoice;
  /** Further names that reach this machine (--hostname): the Host guard accepts them and the local CA's certificate lists them. */
  hostnames?: string[];
  /** Accept real devices over MQTT (--mqtt-port, --mqtt-plain); no broker when absent. */
  mqtt?: MqttChoice;
}

/** The device broker's ports, when the host runs one. */
export interface HostMqtt {
  port: number;
  plainPort?: number;
  /** The CA that signed the broker's certificate: what devices must trust. */
  caCertificatePath?: string;
  /** The addresses and ID scope devices use, as GET /_fleetlab/info gives them. */
  endpoints(): DeviceEndpoints;
}

export interface Host {
  url: string;
  log: Logger;
  /** An App Administrator token valid for this host's lifetime. */
  token: string;
  /** Fleetlab's own CA certificate file when it serves HTTPS with it: what clients must trust. */
  caCertificatePath?: string;
  mqtt?: HostMqtt;
  /** A fresh one-time code: `<url>/?code=<code>` opens the UI in one browser (docs/decisions.md). */
  sessionCode(): string;
  close(): Promise<void>;
}

/** Starts store, engine and HTTP server: the one way the app, the CLI and the tests run an emulator. */
export async function startHost(options: HostOptions): Promise<Host> {
  const notice = options.onNotice ?? ((message: string) => console.warn(message));
  const hostnames = options.hostnames ?? [];
  // Before the store opens: a certificate that cannot be used should stop the start before anything else runs.
  const https = options.https && (await httpsCredentials(options.https, options.dataDir, hostnames));
  // Devices always connect over TLS: without --https the broker still gets a certificate from the local CA.
  const mqttCredentials = options.mqtt && (https ?? (await httpsCredentials({ source: 'local-ca' }, options.dataDir, hostnames)));
  const limits = withDefaults(options.limits);
  const awsCredentials = options.awsCredentials ?? awsCredentialsFromEnv(process.env);
  const log = createLogger(options.logLevel);
  const supervisor = new Supervisor(log);
  const store = await openFleetlabStore(options.dataDir, { onNotice: notice });
  const clock = new SimulationClock(store.get('simulation').timeScale, Date.now, (error) =>
    log.error({ err: error }, `A timer on the simulation clock failed: ${messageOf(error)}`),
  );
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
  const deviceServices = createDeviceServices(store, clock, {
    simulateOne,
    reportedProperties: (id) => jobs.reportedProperties(id),
    jobCommands: (id, path) => jobs.lastCommandRun(id, path),
    realDevices: { setDesired: (id, writes) => hub.setDesired(id, writes), invoke: (id, path, request, timeoutMs, connectWithinMs) => hub.invokeCommand(id, path, request, timeoutMs, connectWithinMs) },
    maxDevices: limits.maxDevices,
    filterLimits: limits,
  });
  const hub = new HubDevices(store, clock, deviceServices);
  const realDevices = new HubJobAnswerer(hub, deviceServices.behavior, clock, supervisor, (id, deviceId, outcome, error) => jobs.reportExternal(id, deviceId, outcome, error));
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
    supervisor,
    log,
    onNotice: notice,
    realDevices,
  });
  const centralJobs = new CentralJobs(store, jobs);
  const scheduler = new JobScheduler(store, clock, jobs, centralJobs, supervisor);
  const objectFiles = new ObjectFiles(join(options.dataDir, 's3'));
  const uploadFiles = new UploadFiles((bucket) => objectFiles.folderOf(bucket));
  const s3 = new LocalS3(store, objectFiles, uploadFiles, clock, limits.maxObjectMb * 1024 * 1024, supervisor);
  await s3.load();
  const presignedUrls = new PresignedUrls(awsCredentials, () => clock.now(), S3_MOUNT);
  const services: Services = {
    ...deviceServices,
    clock,
    tokens,
    jobs,
    centralJobs,
    scheduler,
    simulation: new SimulationSettings(store, clock, supervisor),
    aws: createAwsServices(store, clock, deviceServices, jobs, supervisor, { s3, urls: presignedUrls }, () => localCaIssuer(options.dataDir)),
    s3,
    state: new EmulatorState(store, files, jobs, scheduler),
    hub,
  };
  await jobs.recover();
  scheduler.start();

  let broker: DeviceBroker | undefined;
  // Devices are told the first name the certificate lists for this machine.
  const deviceHostname = hostnames[0] ?? 'localhost';
  const registry = new ProtocolRegistry();
  let apiOrigin = '';
  registerDeviceProtocols(registry, { services, hubHost: () => brokerHost(deviceHostname, broker?.tlsPort ?? 0), awsCredentials, supervisor, apiOrigin: () => apiOrigin });
  const endpoints = (origin: string) => broker && deviceEndpoints(deviceHostname, broker.tlsPort, services.credentials.idScope(), origin);
  const caPem = https?.ca?.pem ?? mqttCredentials?.ca?.pem;
  const { app, policy, sessions } = await buildServer({
    services,
    version: packageVersion(),
    rendererDir: options.rendererDir ?? rendererDir(),
    logger: log,
    bodyLimits: limits,
    awsCredentials,
    presignedUrls,
    maxEventStreams: options.maxEventStreams,
    checkResponses: options.checkResponses,
    trustProxy: options.trustProxy,
    tls: https?.tls,
    caCertificate: caPem,
    deviceEndpoints: endpoints,
  });
  const bindHost = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host: bindHost });
  const { port } = app.server.address() as AddressInfo;
  const scheme = https ? 'https' : 'http';
  apiOrigin = `${scheme}://${hostnames[0] ?? "127.0.0.1"}:${port}`;
  policy.bind(bindHost, port, { scheme, hostnames });
  sessions.bind(bindHost);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // Devices first: their messages reach the engine, which closes after them.
      await broker?.close();
      realDevices.close();
      hub.close();
      await closeServer(app);
      scheduler.close();
      clock.close();
      await jobs.close();
      services.aws.thingGroups.close();
      await supervisor.idle();
      await executor.close();
      await store.close();
    })());
  if (options.mqtt && mqttCredentials) {
    try {
      broker = await startDeviceListeners(app.server, { choice: options.mqtt, registry, tls: mqttCredentials.tls, host: bindHost, supervisor, log });
    } catch (error) {
      await close();
      throw error;
    }
  }
  const urlHost = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  const url = `${scheme}://${urlHost}:${port}`;
  return {
    url,
    ...(https?.ca && { caCertificatePath: https.ca.path }),
    ...(broker && {
      mqtt: {
        port: broker.tlsPort,
        ...(broker.plainPort !== undefined && { plainPort: broker.plainPort }),
        ...(mqttCredentials?.ca && { caCertificatePath: mqttCredentials.ca.path }),
        endpoints: () => endpoints(url)!,
      },
    }),
    log,
    token,
    sessionCode: () => sessions.mintCode(),
    close,
  };
}

/**
 * Closes the server. A keep-alive connection whose last response (a streamed file, say) was still finishing when the
 * close began turns idle only afterwards, and would hold the close until its keep-alive timeout (72 s): such
 * connections are closed as soon as they turn idle.
 */
async function closeServer(app: FastifyInstance): Promise<void> {
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
  }
}
