import { pino, type Logger } from 'pino';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Whatever a log line may carry a credential in; pino writes "[Redacted]" there. */
const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-amz-security-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-amz-security-token"]',
];

/** Request URLs are logged without a presigned URL's signature (X-Amz-Signature), which is a credential until it expires. */
const URL_PATHS = ['req.url'];
const SIGNATURE = /([?&]X-Amz-Signature=)[^&]*/gi;

/** The emulator's one logger, shared by Fastify and the domain's background work; silent without a level. */
export function createLogger(level: LogLevel | undefined, stream: { write(line: string): void } = process.stderr): Logger {
  const censor = (value: unknown, path: string[]) =>
    path.at(-1) === 'url' && typeof value === 'string' ? value.replace(SIGNATURE, '$1[Redacted]') : '[Redacted]';
  return pino({ level: level ?? 'silent', redact: { paths: [...REDACTED_LOG_PATHS, ...URL_PATHS], censor } }, stream);
}
