import { request } from 'node:https';

export interface TlsResponse {
  status: number;
  body: string;
}

export interface TlsRequestOptions {
  /** The only certificate authorities trusted: Node's own roots are not consulted when this is given. */
  ca?: string;
  headers?: Record<string, string>;
  /** The TLS server name (SNI) the certificate must match, when it differs from the URL's host. */
  servername?: string;
}

/** One GET over HTTPS with Node's own `https`, verifying the server's certificate as any Node client does. */
export function httpsGet(url: string, options: TlsRequestOptions = {}): Promise<TlsResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: options.ca, headers: options.headers, servername: options.servername, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** fetch's answer shape for a request over Node's `https` trusting only `ca` (fetch itself cannot be given a CA). */
export function httpsFetch(url: string, init: { method: string; headers: Record<string, string>; body?: string }, ca: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method, headers: init.headers, ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers.set(name, value);
        resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers }));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
