import type { FastifyServerOptions } from 'fastify';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Whatever a log line may carry a credential in; pino writes "[Redacted]" there. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-amz-security-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-amz-security-token"]',
];

/** Fastify's own logger (pino): JSON lines at `level` to stderr, credentials redacted. */
export function serverLoggerOptions(level: LogLevel, stream: { write(line: string): void } = process.stderr): FastifyServerOptions['logger'] {
  return { level, stream, redact: { paths: REDACTED_LOG_PATHS, censor: '[Redacted]' } };
}
