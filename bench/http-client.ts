import http from 'node:http';

export interface Reply {
  status: number;
  body: string;
  /** From sending the request to the last byte of the answer. */
  ms: number;
}

/**
 * A keep-alive HTTP client that sends the emulator's token. node:http rather than fetch: the load generator shares
 * the machine's two cores with the emulator, and fetch costs several times more CPU per request.
 */
export class HttpClient {
  private readonly agent: http.Agent;

  constructor(
    readonly baseUrl: string,
    private readonly token: string,
    maxSockets = 256,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  request(method: string, pathAndQuery: string, body?: unknown): Promise<Reply> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: http.OutgoingHttpHeaders = { authorization: this.token };
    if (payload !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const request = http.request(new URL(pathAndQuery, this.baseUrl), { method, headers, agent: this.agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }),
        );
      });
      request.on('error', reject);
      request.end(payload);
    });
  }

  /** The parsed answer; throws with the emulator's message when the status is not the expected one. */
  async json<T>(method: string, pathAndQuery: string, body?: unknown, expected = [200]): Promise<T> {
    const reply = await this.request(method, pathAndQuery, body);
    if (!expected.includes(reply.status)) throw new Error(`${method} ${pathAndQuery} answered ${reply.status}: ${reply.body.slice(0, 300)}`);
    return (reply.body ? JSON.parse(reply.body) : undefined) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}
