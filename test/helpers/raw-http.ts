import { request, type IncomingHttpHeaders } from 'node:http';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Bind the client socket to this local address (a peer other than 127.0.0.1). */
  localAddress?: string;
  /** Resolve on the status line and drop the connection: for streams that never end (Server-Sent Events). */
  headersOnly?: boolean;
}

/**
 * One HTTP request exactly as given: any method (TRACE, QUERY), any Host, Origin or Cookie header, none added. fetch
 * forbids some of these, and browsers add others.
 */
export function rawRequest(url: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, localAddress: options.localAddress, agent: false }, (res) => {
      if (options.headersOnly) {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
        res.destroy();
        return;
      }
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The `name=value` pair of a Set-Cookie header, ready to send back as a Cookie header; undefined when none was set. */
export function cookieFrom(response: RawResponse, name: string): string | undefined {
  return [response.headers['set-cookie'] ?? []].flat().map((line) => line.split(';')[0]!).find((cookie) => cookie.startsWith(`${name}=`));
}
