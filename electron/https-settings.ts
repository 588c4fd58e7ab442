import { isIP } from 'node:net';
import { UsageError } from './headless.js';
import type { HttpsChoice } from './tls/https-credentials.js';

/** The `fleetlab serve` flags for HTTPS and host names, in node:util parseArgs form. */
export const HTTPS_FLAGS = {
  https: { type: 'boolean' },
  cert: { type: 'string' },
  key: { type: 'string' },
  pfx: { type: 'string' },
  pwd: { type: 'string' },
  hostname: { type: 'string', multiple: true },
} as const;

export const HTTPS_HELP = [
  "  --https                    serve HTTPS with Fleetlab's own local CA, made on first use in <data-dir>/tls (FLEETLAB_HTTPS=1)",
  '  --cert <file> --key <file> serve HTTPS with your own PEM certificate and unencrypted private key',
  '  --pfx <file> [--pwd <pw>]  serve HTTPS with your own PKCS#12 file and its password',
  '  --hostname <name>          another name of this machine that clients may use (repeatable): the Host guard',
  "                             accepts it and the local CA's certificate lists it",
].join('\n');

interface HttpsValues {
  https?: boolean;
  cert?: string;
  key?: string;
  pfx?: string;
  pwd?: string;
  hostname?: string[];
}

/** What --https, --cert/--key, --pfx/--pwd and FLEETLAB_HTTPS ask for; undefined for plain HTTP. */
export function httpsChoice(values: HttpsValues, env: NodeJS.ProcessEnv): HttpsChoice | undefined {
  if (values.pwd !== undefined && values.pfx === undefined) throw new UsageError('--pwd is the password of a --pfx file; give --pfx too');
  if (values.pfx !== undefined) {
    if (values.cert !== undefined || values.key !== undefined) throw new UsageError('give either --pfx or --cert with --key, not both');
    return { source: 'pfx', pfxFile: values.pfx, ...(values.pwd !== undefined && { passphrase: values.pwd }) };
  }
  if ((values.cert === undefined) !== (values.key === undefined)) throw new UsageError('--cert and --key go together: give both');
  if (values.cert !== undefined) return { source: 'pem', certFile: values.cert, keyFile: values.key! };
  const fromEnv = env.FLEETLAB_HTTPS;
  if (fromEnv !== undefined && fromEnv !== '' && fromEnv !== '0' && fromEnv !== '1') throw new UsageError(`FLEETLAB_HTTPS must be 1 or 0, got "${fromEnv}"`);
  return values.https || fromEnv === '1' ? { source: 'local-ca' } : undefined;
}

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** The --hostname values, each a DNS name or an IP address. */
export function hostnames(values: HttpsValues): string[] {
  const names = values.hostname ?? [];
  for (const name of names) {
    if (!DNS_NAME.test(name) && isIP(name) === 0) throw new UsageError(`--hostname must be a DNS name or an IP address, got "${name}"`);
  }
  return names.map((name) => name.toLowerCase());
}
