/**
 * The renderer's one HTTP client: only this module knows where the emulator's API lives and how to authenticate.
 * The page is always served by the emulator itself (in Electron too, where the preload also names its origin as
 * `window.fleetlab.apiOrigin`), so requests go to that origin and carry the HttpOnly session cookie that the
 * one-time code URL set; the UI never holds a token.
 */

/** GET /_fleetlab/info */
export interface FleetlabInfo {
  name: string;
  version: string;
  apiOrigin: string;
  apiVersion: string;
  apiVersions: string[];
  /** Where real devices connect, while the device broker runs (docs/devices.md). */
  devices?: DeviceEndpoints;
}

export interface DeviceEndpoints {
  idScope: string;
  provisioningHost: string;
  hubHost: string;
  mqttPort: number;
  websocketPath: string;
  caCertificate: string;
}

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
  signal?: AbortSignal;
}

const REQUEST_TIMEOUT_MS = 15_000;

/** A failed call. `status` 0 means the API did not answer at all. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

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

  info(signal?: AbortSignal): Promise<FleetlabInfo> {
    return this.request<FleetlabInfo>('GET', '/_fleetlab/info', { signal });
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
    let response: Response;
    try {
      response = await fetch(`${origin}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
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

/** Reads the IoT Central error shape `{ error: { code, message } }` that both /api and /_fleetlab answer with. */
async function errorFrom(response: Response): Promise<ApiError> {
  const text = await response.text();
  let code = `Http${response.status}`;
  let message = text.trim() || `The API answered ${response.status} ${response.statusText}.`;
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (body.error?.message) message = body.error.message;
    if (body.error?.code) code = body.error.code;
  } catch {
    // Not JSON (e.g. the host guard's plain-text refusal): the text itself is the message.
  }
  return new ApiError(message, response.status, code);
}

export const api = new ApiClient(connectionFor(window.fleetlab, window.location.origin));
