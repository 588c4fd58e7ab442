import { vi } from 'vitest';
import { Sha256 } from '@aws-crypto/sha256-js';
import { DescribeJobCommand, IoTClient, type DescribeJobCommandOutput } from '@aws-sdk/client-iot';
import { IoTJobsDataPlaneClient } from '@aws-sdk/client-iot-jobs-data-plane';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { DEFAULT_AWS_CREDENTIALS } from '../../../electron/api/aws/credentials.js';
import type { AwsCredentials } from '../../../electron/api/aws/sigv4.js';
import type { TestHost } from '../../helpers/host.js';
import { EXAMPLE_TEMPLATE } from '../central/device-examples.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const thingArn = (name: string) => `arn:aws:iot:${REGION}:${ACCOUNT}:thing/${name}`;
export const thingGroupArn = (name: string) => `arn:aws:iot:${REGION}:${ACCOUNT}:thinggroup/${name}`;

/** The real AWS SDK client pointed at the emulator, as a user would configure it. */
export function iotClient(host: TestHost, credentials: AwsCredentials = DEFAULT_AWS_CREDENTIALS): IoTClient {
  return new IoTClient({ endpoint: `${host.url}/aws`, region: REGION, credentials, maxAttempts: 1 });
}

/** The real jobs data-plane client a device agent would use, pointed at the emulator. */
export function jobsDataClient(host: TestHost, credentials: AwsCredentials = DEFAULT_AWS_CREDENTIALS): IoTJobsDataPlaneClient {
  return new IoTJobsDataPlaneClient({ endpoint: `${host.url}/aws-jobs-data`, region: REGION, credentials, maxAttempts: 1 });
}

/** Switches the host to virtual time (timeScale 0): device work runs as fast as it can be computed. */
export async function useVirtualTime(host: TestHost): Promise<void> {
  const res = await host.call('PUT', '/_fleetlab/simulation', { timeScale: 0 });
  if (res.status !== 200) throw new Error(`simulation: ${res.status} ${await res.text()}`);
}

/** The host's simulated time (ms epoch): scheduling times must be given on that clock. */
export async function simulatedNow(host: TestHost): Promise<number> {
  const res = await host.call('GET', '/_fleetlab/simulation');
  return Date.parse(((await res.json()) as { now: string }).now);
}

/** Moves the host's simulated clock forward, running whatever falls due. */
export async function advanceClock(host: TestHost, ms: number): Promise<void> {
  const res = await host.call('POST', '/_fleetlab/clock/advance', { ms });
  if (res.status !== 200) throw new Error(`advance: ${res.status} ${await res.text()}`);
}

/** A request signed with the same signer the SDK uses, for what the SDK would not send (odd bodies, old dates). */
export async function signedFetch(
  host: TestHost,
  method: string,
  path: string,
  options: {
    body?: string;
    /** The content-type of the body; application/json by default, as the SDK sends. */
    contentType?: string;
    credentials?: AwsCredentials;
    signingDate?: Date;
    query?: Record<string, string>;
    sent?: { body?: string; query?: Record<string, string> };
    /** The plane's prefix and the service name signed for; the control plane's by default. */
    prefix?: string;
    service?: string;
  } = {},
): Promise<Response> {
  const url = new URL(`${host.url}${options.prefix ?? '/aws'}${path}`);
  const signer = new SignatureV4({ credentials: options.credentials ?? DEFAULT_AWS_CREDENTIALS, region: REGION, service: options.service ?? 'iot', sha256: Sha256 });
  const request = new HttpRequest({
    method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: options.query ?? {},
    headers: { host: url.host, ...(options.body !== undefined && { 'content-type': options.contentType ?? 'application/json' }) },
    ...(options.body !== undefined && { body: options.body }),
  });
  const signed = await signer.sign(request, options.signingDate ? { signingDate: options.signingDate } : {});
  // `sent` replaces what goes on the wire after signing, as a tampering proxy would.
  const search = new URLSearchParams(options.sent?.query ?? options.query ?? {}).toString();
  return fetch(`${url.origin}${url.pathname}${search ? `?${search}` : ''}`, { method, headers: signed.headers, body: options.sent?.body ?? options.body });
}

/** A device template and `count` simulated devices `<prefix>-1..n` through the control API; returns their ids. */
export async function createFleet(host: TestHost, prefix: string, count: number, template = `dtmi:fleetlab:aws${prefix.replace(/-/g, '')};1`): Promise<string[]> {
  const put = await host.call('PUT', `/api/deviceTemplates/${encodeURIComponent(template)}?api-version=2022-07-31`, EXAMPLE_TEMPLATE);
  if (put.status !== 200) throw new Error(`template: ${put.status} ${await put.text()}`);
  const fleet = await host.call('POST', '/_fleetlab/fleet', { template, count, idPrefix: prefix });
  if (fleet.status !== 201) throw new Error(`fleet: ${fleet.status} ${await fleet.text()}`);
  return Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);
}

/** The error an SDK call rejected with, for assertions on its name, message and HTTP status. */
export async function rejectionOf(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string; $metadata: { httpStatusCode?: number } };
  }
  throw new Error('the call succeeded');
}

/** Polls DescribeJob until the job leaves IN_PROGRESS, failing with its last state after `timeoutMs`. */
export async function describeUntilDone(iot: IoTClient, jobId: string, timeoutMs = 20_000): Promise<DescribeJobCommandOutput> {
  return vi.waitFor(
    async () => {
      const described = await iot.send(new DescribeJobCommand({ jobId }));
      if (described.job?.status === 'IN_PROGRESS') throw new Error(`job ${jobId} is still IN_PROGRESS: ${JSON.stringify(described.job.jobProcessDetails)}`);
      return described;
    },
    { timeout: timeoutMs, interval: 100 },
  );
}
