import { startHost, type Host, type HostOptions } from './host.js';
import { DataFileError } from './store/json-document.js';
import { CertificateError } from './tls/https-credentials.js';

export class UsageError extends Error {}

const STOP_DEADLINE_MS = 10_000;

/** Starts the emulator, prints the address once it answers, and stops cleanly (data flushed) on SIGINT/SIGTERM. */
export async function runHeadless(options: HostOptions): Promise<Host> {
  let host: Host;
  try {
    host = await startHost(options);
  } catch (error) {
    throw explainStartFailure(error, options);
  }
  console.log(`Fleetlab listening on ${host.url}`);
  console.log(`Open the UI at ${host.url}/?code=${host.sessionCode()}`);
  if (host.caCertificatePath) for (const line of trustHint(host.caCertificatePath, host.url)) console.log(line);
  if (host.mqtt) for (const line of deviceHint(host.mqtt)) console.log(line);
  console.log(`Local S3 (path-style, signed with the AWS credentials): ${host.url}/s3`);
  const stop = (signal: NodeJS.Signals) => {
    // Every acknowledged write is already on disk, so a close that hangs (a client holding a connection) may be cut short.
    setTimeout(() => {
      console.error(`Fleetlab: still stopping ${STOP_DEADLINE_MS / 1000} s after ${signal}; exiting now (every acknowledged write is on disk)`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    host.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Fleetlab: could not stop cleanly after ${signal}: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return host;
}

/** Where Fleetlab's own CA is, and how each kind of client trusts it. */
function trustHint(caPath: string, url: string): string[] {
  return [
    `HTTPS certificate authority: ${caPath} (also GET ${url}/_fleetlab/ca.pem)`,
    `Trust it with REQUESTS_CA_BUNDLE=${caPath} (Python requests, Azure CLI), NODE_EXTRA_CA_CERTS=${caPath} (Node.js),`,
    `AWS_CA_BUNDLE=${caPath} (AWS CLI, boto3), curl --cacert ${caPath}, or the OS trust store (README, "HTTPS")`,
  ];
}

/** Where real devices connect (docs/devices.md). */
function deviceHint(mqtt: NonNullable<Host['mqtt']>): string[] {
  const { hubHost, idScope, caCertificate } = mqtt.endpoints();
  const plain = mqtt.plainPort === undefined ? '' : `, plain MQTT on port ${mqtt.plainPort}`;
  return [`Devices: MQTT over TLS at ${hubHost} (ID scope ${idScope}${plain}); their CA: ${mqtt.caCertificatePath ?? caCertificate} (docs/devices.md)`];
}

function explainStartFailure(error: unknown, options: HostOptions): Error {
  if (error instanceof DataFileError || error instanceof CertificateError) return new UsageError(error.message);
  const err = error as NodeJS.ErrnoException & { mqttPort?: number; mqttTransport?: string };
  if (err.mqttPort !== undefined) {
    const flag = err.mqttTransport === 'tcp' ? '--mqtt-plain-port' : '--mqtt-port';
    if (err.code === 'EADDRINUSE') return new UsageError(`MQTT port ${err.mqttPort} is already in use; pick another with ${flag} (0 picks a free one)`);
    if (err.code === 'EACCES' || err.code === 'EPERM') return new UsageError(`not allowed to listen on MQTT port ${err.mqttPort}; pick a port above 1023 with ${flag}`);
  }
  switch (err.code) {
    case 'EADDRINUSE':
      return new UsageError(`port ${options.port} on ${options.host ?? '127.0.0.1'} is already in use; pick another with --port (0 picks a free one)`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new UsageError(`cannot bind to host "${options.host}": no such local address`);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
    case 'ENOTDIR':
    case 'EEXIST':
    case 'ENOENT':
      if (err.code === 'ENOENT' && !err.path?.startsWith(options.dataDir)) break;
      if (err.syscall === 'listen') return new UsageError(`not allowed to listen on port ${options.port}; pick a port above 1023`);
      return new UsageError(`data dir "${options.dataDir}" is not writable (${err.code}); pick another with --data-dir`);
  }
  return err instanceof Error ? err : new Error(String(err));
}
