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
