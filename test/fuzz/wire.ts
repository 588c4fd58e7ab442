import { request, type IncomingHttpHeaders } from 'node:http';

export interface WireRequest {
  method: string;
  /** Path and query exactly as they go on the wire: no normalization of `..` or of percent-encoding. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface WireAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const ANSWER_TIMEOUT_MS = 30_000;

/** One request as given (fetch would normalize the path and refuse some headers); rejects when no answer comes. */
export function send(origin: string, wire: WireRequest): Promise<WireAnswer> {
  return new Promise((resolve, reject) => {
    // Node sends a GET's body with neither Content-Length nor chunked encoding, which no server can frame.
    const length = wire.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(wire.body)) };
    // Host, port and path apart: a URL string would have its `..` segments resolved before sending.
    const { hostname, port } = new URL(origin);
    const req = request({ hostname, port, path: wire.path, method: wire.method, headers: { ...length, ...wire.headers }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.setTimeout(ANSWER_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms to ${wire.method} ${wire.path.slice(0, 200)}`)));
    req.on('error', reject);
    req.end(wire.body);
  });
}

/** What a failure message shows of a request: enough to replay it by hand. */
export function describeRequest(wire: WireRequest): string {
  const body = wire.body === undefined ? '' : ` body ${JSON.stringify(String(wire.body).slice(0, 300))}`;
  return `${wire.method} ${wire.path.slice(0, 300)}${body}`;
}

/** encodeURIComponent that never throws: a lone surrogate goes out as the UTF-8 of U+FFFD, as Node writes it. */
export function percentEncode(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((byte) => (/[A-Za-z0-9\-_.!~*'()]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** The string with any lone surrogate replaced by U+FFFD, as it is once UTF-8 encoded (signers refuse lone ones). */
export function wellFormed(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8');
}
