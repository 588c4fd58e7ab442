import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CapturedBody, LoggedRequest, RequestSummary } from './control/schema/requests.js';
import { REDACTED, redactSecrets } from './secret-redaction.js';

export const UI_CLIENT_HEADER = 'x-fleetlab-client';
const REDACTED_HEADERS = new Set(['authorization', 'cookie', 'x-amz-security-token']);
const LOGGED_PREFIXES = ['/api', '/aws', '/aws-jobs-data'];

export interface RequestLogOptions {
  capacity?: number;
  bodyLimitBytes?: number;
}

/** The last `capacity` requests to /api and /aws, kept in memory: what an engineer's own client actually sent. */
export class RequestLog {
  readonly capacity: number;
  readonly bodyLimitBytes: number;
  private entries: LoggedRequest[] = [];
  private nextId = 1;

  constructor(options: RequestLogOptions = {}) {
    this.capacity = options.capacity ?? 500;
    this.bodyLimitBytes = options.bodyLimitBytes ?? 64 * 1024;
  }

  get size(): number {
    return this.entries.length;
  }

  add(entry: Omit<LoggedRequest, 'id'>): LoggedRequest {
    const logged = { id: this.nextId++, ...entry };
    this.entries.push(logged);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return logged;
  }

  /** Newest first. */
  page(offset: number, limit: number, options: { includeUi?: boolean } = {}): { total: number; requests: RequestSummary[] } {
    const newestFirst = this.entries.filter((entry) => options.includeUi || entry.source === 'client').reverse();
    const requests = newestFirst.slice(offset, offset + limit).map(({ id, time, method, url, status, durationMs, source }) => ({
      id,
      time,
      method,
      url,
      status,
      durationMs,
      source,
    }));
    return { total: newestFirst.length, requests };
  }

  get(id: number): LoggedRequest | undefined {
    return this.entries.find((entry) => entry.id === id);
  }

  clear(): void {
    this.entries = [];
  }

  /** What the log keeps of a body: up to the cap, with token values and other secrets redacted as headers are. */
  capture(chunks: Buffer[], seenBytes: number): CapturedBody {
    const kept = Buffer.concat(chunks).subarray(0, this.bodyLimitBytes);
    return { text: redactSecrets(kept.toString('utf8')), truncated: seenBytes > this.bodyLimitBytes };
  }
}

interface InFlight {
  chunks: Buffer[];
  bytes: number;
  responseBody?: CapturedBody;
}

const inFlight = new WeakMap<FastifyRequest, InFlight>();

function isLogged(url: string): boolean {
  return LOGGED_PREFIXES.some((prefix) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`));
}

/** Hooks on the root app that record every /api and /aws request, raw request body included (even malformed JSON). */
export function installRequestLog(app: FastifyInstance, log: RequestLog): void {
  app.addHook('onRequest', async (request) => {
    if (isLogged(request.url)) inFlight.set(request, { chunks: [], bytes: 0 });
  });

  app.addHook('preParsing', async (request, _reply, payload) => {
    const state = inFlight.get(request);
    // A request without either header has no body; a tee stream per GET cost a quarter of a status poll's CPU (bench/).
    if (!state || (request.headers['content-length'] === undefined && request.headers['transfer-encoding'] === undefined)) return payload;
    const tee = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (state.bytes < log.bodyLimitBytes) state.chunks.push(chunk);
        state.bytes += chunk.length;
        done(null, chunk);
      },
    });
    return payload.pipe(tee);
  });

  app.addHook('onSend', async (request, _reply, payload) => {
    const state = inFlight.get(request);
    if (state) state.responseBody = capturePayload(log, payload);
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const state = inFlight.get(request);
    if (!state) return;
    inFlight.delete(request);
    log.add({
      time: new Date().toISOString(),
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      source: request.headers[UI_CLIENT_HEADER] === 'ui' ? 'ui' : 'client',
      requestHeaders: redact(request.headers),
      responseHeaders: headerStrings(reply),
      requestBody: log.capture(state.chunks, state.bytes),
      responseBody: state.responseBody ?? { text: '', truncated: false },
    });
  });
}

function capturePayload(log: RequestLog, payload: unknown): CapturedBody {
  if (payload === null || payload === undefined) return { text: '', truncated: false };
  if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
    const bytes = Buffer.from(payload);
    return log.capture([bytes], bytes.length);
  }
  return { text: '(streamed response, not recorded)', truncated: false };
}

function redact(headers: FastifyRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = REDACTED_HEADERS.has(name) ? REDACTED : redactSecrets(Array.isArray(value) ? value.join(', ') : value);
  }
  return out;
}

function headerStrings(reply: FastifyReply): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}
