#!/usr/bin/env node
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runHeadless, UsageError } from './headless.js';
import { hostnames, httpsChoice, HTTPS_FLAGS, HTTPS_HELP } from './https-settings.js';
import { MQTT_FLAGS, MQTT_HELP, mqttChoice } from './mqtt-settings.js';
import { defaultDataDir, packageVersion } from './paths.js';
import { serveSettings, SETTING_ENV_HELP, SETTING_FLAGS, SETTING_HELP } from './serve-settings.js';

const HELP = `Usage: fleetlab serve [options]

Runs the Fleetlab emulator headless: the IoT Central-compatible API under /api,
the AWS IoT Jobs API under /aws and /aws-jobs-data, Fleetlab's control API under
/_fleetlab, and the UI at /.

Options:
  --port <n>                 TCP port to listen on; 0 picks a free one (default 4780)
  --host <addr>              interface to bind (default 127.0.0.1; other addresses expose the API to the network)
  --data-dir <dir>           where data is kept (default ${defaultDataDir()})
${HTTPS_HELP}
${MQTT_HELP}
  --trust-proxy              believe X-Forwarded-Proto / X-Forwarded-Host from a reverse proxy in nextLinks
${SETTING_HELP}
  --version                  print the version and exit
  --help                     print this help and exit

Environment:
  FLEETLAB_API_TOKEN  a whole Authorization header value accepted as an App Administrator API token,
                      e.g. "SharedAccessSignature sr=ci&sig=secret&skn=ci&se=4102444800000"
  FLEETLAB_HTTPS=1    the same as --https
  FLEETLAB_AWS_ACCESS_KEY_ID, FLEETLAB_AWS_SECRET_ACCESS_KEY
                      the credentials AWS IoT requests (/aws, /aws-jobs-data) must be signed with
                      (default fleetlab / fleetlab-secret)
${SETTING_ENV_HELP}

Prints "Fleetlab listening on http(s)://<host>:<port>" once it answers requests, then the UI's address and, with
--https, where its CA certificate is and how to trust it; stops on SIGINT/SIGTERM.`;

export async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      ...HTTPS_FLAGS,
      ...MQTT_FLAGS,
      'trust-proxy': { type: 'boolean' },
      ...SETTING_FLAGS,
      help: { type: 'boolean' },
      version: { type: 'boolean' },
    },
  });
  if (values.help) return void console.log(HELP);
  if (values.version) return void console.log(packageVersion());
  const command = positionals[0] ?? 'serve';
  if (command !== 'serve' || positionals.length > 1) throw new UsageError(`unknown command "${positionals.join(' ')}"; see --help`);
  const port = parsePort(values.port ?? '4780');
  await runHeadless({
    port,
    host: values.host ?? '127.0.0.1',
    dataDir: path.resolve(values['data-dir'] ?? defaultDataDir()),
    apiToken: process.env.FLEETLAB_API_TOKEN || undefined,
    trustProxy: values['trust-proxy'] ?? false,
    https: httpsChoice(values, process.env),
    hostnames: hostnames(values),
    mqtt: mqttChoice(values, port),
    ...serveSettings(values, process.env),
  });
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got "${text}"`);
  return port;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  console.error(`fleetlab: ${(error as Error).message.split('\n')[0]}`);
  process.exit(usage ? 2 : 1);
});
