/**
 * The renderer's one fetch wrapper: only this module knows where the emulator's API lives and how to authenticate.
 * The page is always served by the emulator itself (in Electron too, where the preload also names its origin as
 * `window.fleetlab.apiOrigin`), so requests go to that origin and carry the HttpOnly session cookie that the
 * one-time code URL set; the UI never holds a token.
 */
import { ApiError, errorFrom } from './api-error';

/** What Electron's preload exposes; absent in a plain browser. */
export interface PreloadBridge {
  readonly apiOrigin: string;
}

declare global {
  interface Window {
    readonly fleetlab?: PreloadBridge;
  }
}

export interface Connection {
  origin: string;
}

export type Method = 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  /** Bytes sent as they are (a file for the local S3) instead of a JSON body. */
  file?: Blob;
  signal?: AbortSignal;
}

const REQUEST_TIMEOUT_MS = 15_000;

function connectionFor(bridge: PreloadBridge | undefined, pageOrigin: string): Connection {
  return { origin: bridge?.apiOrigin ?? pageOrigin };
}

/** What became of a request: answered (with its HTTP status) or not reached at all. */
export type RequestOutcome = { reached: true; status: number } | { reached: false };

class ApiClient {
  private readonly observers = new Set<(outcome: RequestOutcome) => void>();

  constructor(private readonly connection: Connection) {}

  /** Hears about every request's outcome (the connection banner); returns the unsubscribe. */
  observe(observer: (outcome: RequestOutcome) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  get origin(): string {
    return this.connection.origin;
  }

  /**
   * Server-Sent Events from `/_fleetlab/events…`. EventSource cannot send an Authorization header; the session
   * cookie authenticates it, and the page is always served by the emulator (in Electron too), so it has the cookie.
   */
  events(pathAndQuery: string): EventSource {
    return new EventSource(`${this.connection.origin}${pathAndQuery}`);
  }

  /** `path` is absolute on the emulator (`/api/jobs?api-version=…`); the answer's JSON body, undefined for 204. */
  async request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
    const { origin } = this.connection;
    // The header lets the request log tell the UI's own calls from those of the engineer's client.
    const headers: Record<string, string> = { accept: 'application/json', 'x-fleetlab-client': 'ui' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.file !== undefined) headers['content-type'] = options.file.type || 'application/octet-stream';
    let response: Response;
    try {
      response = await fetch(`${origin}${path}`, {
        method,
        headers,
        body: options.file ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
        credentials: 'same-origin',
        signal: options.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      // A request the page itself gave up on says nothing about the emulator.
      if (!options.signal?.aborted) this.observers.forEach((observer) => observer({ reached: false }));
      const reason =
        (error as Error).name === 'TimeoutError' ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : (error as Error).message;
      throw new ApiError(`Could not reach the Fleetlab API at ${origin} (${reason}).`, 0, 'Unreachable');
    }
    this.observers.forEach((observer) => observer({ reached: true, status: response.status }));
    if (!response.ok) throw await errorFrom(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
}

/** A query string of the values given; undefined and empty ones are left out. */
export function queryOf(values: Record<string, string | number | boolean | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== '') params.set(name, String(value));
  return params;
}

export const api = new ApiClient(connectionFor(window.fleetlab, window.location.origin));
