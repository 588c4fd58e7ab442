import { execFileSync, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateJobCommand, CreateThingCommand } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { issueCertificate, tlsIotClient } from '../../helpers/aws-device.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { thingArn } from './aws-client.js';

function mosquittoMissing(): string | undefined {
  try {
    execFileSync('mosquitto_sub', ['--help'], { stdio: 'ignore' });
    return undefined;
  } catch (error) {
    // mosquitto_sub --help exits 1 after printing its usage; only a missing binary throws ENOENT.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'mosquitto_sub is not installed (apt-get install mosquitto-clients)' : undefined;
  }
}

const missing = mosquittoMissing();
if (missing) console.warn(`Skipping the mosquitto_sub AWS IoT test: ${missing}`);

/** Debian's mosquitto_sub, any MQTT client with the files CreateKeysAndCertificate gives, on AWS IoT's jobs topics. */
describe.skipIf(missing !== undefined)('mosquitto_sub with a Fleetlab certificate', () => {
  let host: TestHost;

  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1, https: { source: 'local-ca' }, mqtt: { port: 0 } });
  });
  afterAll(() => host?.stop());

  it('receives notify-next when a job is created for its thing', async () => {
    const ca = await (await host.call('GET', '/_fleetlab/ca.pem')).text();
    const iot = tlsIotClient(host, ca);
    await iot.send(new CreateThingCommand({ thingName: 'mosquitto-1' }));
    const credentials = await issueCertificate(iot, 'mosquitto-1');
    const file = (name: string) => path.join(host.dataDir, name);
    await writeFile(file('ca.pem'), ca);
    await writeFile(file('device.pem.crt'), credentials.certificatePem);
    await writeFile(file('device.pem.key'), credentials.privateKey, { mode: 0o600 });

    const topic = '$aws/things/mosquitto-1/jobs/notify-next';
    // Line-buffered (stdbuf): piped, mosquitto_sub would hold its debug lines until it exits.
    const sub = spawn('stdbuf', [
      '-oL', 'mosquitto_sub', '-h', 'localhost', '-p', String(host.mqtt!.port), '-V', 'mqttv311', '-i', 'mosquitto-1',
      '--cafile', file('ca.pem'), '--cert', file('device.pem.crt'), '--key', file('device.pem.key'),
      '-t', topic, '-q', '1', '-C', '1', '-d',
    ]);
    let output = '';
    sub.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    sub.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => sub.once('exit', resolve));
    try {
      await vi.waitFor(() => expect(output, 'mosquitto_sub connected and subscribed').toContain('received SUBACK'), { timeout: 10_000 });
      await iot.send(new CreateJobCommand({ jobId: 'mosquitto-job', targets: [thingArn('mosquitto-1')], document: '{"operation":"blink"}' }));
      expect(await exited).toBe(0);
      const message = output.split('\n').find((line) => line.startsWith('{'));
      expect(JSON.parse(message!)).toMatchObject({ execution: { jobId: 'mosquitto-job', status: 'QUEUED', jobDocument: { operation: 'blink' } } });
    } finally {
      sub.kill();
    }
  });
});
