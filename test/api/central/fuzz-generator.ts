import type { FuzzOperation, JsonKind } from './fuzz-fixture.js';

/** mulberry32: a small seeded PRNG, so every run sends the same requests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BadRequest {
  /** What was broken, for failure messages. */
  kind: string;
  method: string;
  /** Absolute path with query, ready for the host. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The exact status the request must get, when one is certain. */
  status?: number;
}

export interface Credentials {
  valid: string;
  expired: string;
  deleted: string;
}

const HUGE = 'x'.repeat(1_100_000);
/** Characters no Fleetlab or IoT Central id allows; a bad id holds at least one. */
const ID_BREAKERS = [' ', '/', '\\', '\u0000', '\u0001', '\u007f', 'ü', '\u202e', '\t', '\n', '"', '<', '>', '%', '?', '#', '|', '{', '}', '^', '`', '*', '&', '=', '+', ',', '!', '@', '$', "'", '(', ')', '~', '[', ']', '😀'];
const FIXED_BAD_IDS = ['has space', 'x'.repeat(300), '../../etc/passwd', '..%2F..', 'a/b', 'ünïcødé', '\u0001ctl', 'tab\there', 'nul\u0000', '%', '#frag', '?q'];
const BAD_VERSIONS = [undefined, '', 'garbage', '2021-04-30-preview', '2099-01-01', 'PREVIEW', '预览', '\u0000', 'x'.repeat(300), '2022-07-31\u0000'];
const MALFORMED_JSON = ['{', '{"a":', "{'single': 1}", 'nul', '[1,2', '{"a":1}}', '\u0000', '{"a":NaN}', '{"a":undefined}', '\ufeff{"a"', ''];
const CONTENT_TYPES = ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'image/png', 'application/json-patch+json'];
const NOT_OBJECTS = ['[]', '42', '"text"', 'null', 'true', '[{"a":1}]'];
const WRONG_TYPES: Record<JsonKind, unknown[]> = {
  string: [42, -1.5, true, false, [], ['a'], {}, { a: 1 }],
  number: ['abc', 'ünï', true, [], {}, [1], 'NaN'],
  boolean: ['yes', 1, 0, [], {}, 'on'],
  array: ['x', 1, true, {}, { 0: 'a' }],
  object: ['x', 1, true, [], [{}]],
};

export class BadRequestGenerator {
  constructor(
    private readonly random: () => number,
    private readonly credentials: Credentials,
    private readonly versions: readonly string[],
  ) {}

  /** `count` bad requests for one operation, each breaking exactly one part of a request that would succeed. */
  requestsFor(operation: FuzzOperation, count: number): BadRequest[] {
    const makers = this.makersFor(operation);
    // One oversized body per operation that takes a body: enough to prove the limit without megabytes per request.
    const first = operation.body ? [this.huge(operation)] : [];
    return [...first, ...Array.from({ length: count - first.length }, () => this.pick(makers)())];
  }

  private makersFor(op: FuzzOperation): (() => BadRequest)[] {
    const makers: (() => BadRequest)[] = [() => this.badToken(op), () => this.badVersion(op)];
    if (op.params) makers.push(() => this.badId(op), () => this.badId(op));
    if (op.list) makers.push(() => this.badPaging(op));
    if (op.body) {
      makers.push(() => this.malformed(op), () => this.contentType(op), () => this.notObject(op));
      if (op.fields) makers.push(() => this.wrongType(op), () => this.wrongType(op), () => this.wrongType(op));
      if (op.required) makers.push(() => this.missing(op));
      if (op.invalid) makers.push(() => this.invalidValue(op), () => this.invalidValue(op));
    }
    return makers;
  }

  private request(op: FuzzOperation, kind: string, parts: Partial<BadRequest> & { params?: Record<string, string>; version?: string | null; query?: string } = {}): BadRequest {
    const params = { ...op.params, ...parts.params };
    const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]!));
    const version = parts.version === undefined ? this.pick(this.versions) : parts.version;
    const query = [version === null ? '' : `api-version=${encodeURIComponent(version)}`, parts.query ?? ''].filter(Boolean).join('&');
    const body = 'body' in parts ? parts.body : op.body === undefined ? undefined : JSON.stringify(op.body);
    return {
      kind: `${op.operationId}: ${kind}`,
      method: op.method,
      url: `/api${path}${query ? `?${query}` : ''}`,
      headers: { authorization: this.credentials.valid, ...(body !== undefined && { 'content-type': 'application/json' }), ...parts.headers },
      ...(body !== undefined && { body }),
      ...(parts.status !== undefined && { status: parts.status }),
    };
  }

  private badToken(op: FuzzOperation): BadRequest {
    const { valid, expired, deleted } = this.credentials;
    const token = this.pick([expired, deleted, '', 'Bearer abc', valid.replace(/sig=[^&]+/, 'sig=forged'), valid.slice(0, -1), `${valid}x`, this.randomText(40), 'SharedAccessSignature sr=a&sig=b&skn=fuzz-token&se=9999999999999']);
    return this.request(op, `token ${JSON.stringify(token.slice(0, 30))}`, { headers: { authorization: token }, status: 401 });
  }

  private badVersion(op: FuzzOperation): BadRequest {
    const version = this.pick(BAD_VERSIONS);
    return this.request(op, `api-version ${JSON.stringify(version?.slice(0, 20))}`, { version: version ?? null, status: 404 });
  }

  private badId(op: FuzzOperation): BadRequest {
    const name = this.pick(Object.keys(op.params!));
    const id = this.random() < 0.4 ? this.pick(FIXED_BAD_IDS) : this.randomBadId();
    return this.request(op, `${name} ${JSON.stringify(id.slice(0, 30))}`, { params: { [name]: id } });
  }

  private badPaging(op: FuzzOperation): BadRequest {
    const query = this.pick(['maxpagesize=0', 'maxpagesize=101', 'maxpagesize=abc', 'maxpagesize=-1', 'maxpagesize=1.5', '$skiptoken=garbage', `$skiptoken=${Buffer.from('{"o":-5}').toString('base64url')}`, '$skiptoken=%00']);
    return this.request(op, query, { query, status: 400 });
  }

  private malformed(op: FuzzOperation): BadRequest {
    const body = this.pick(MALFORMED_JSON);
    return this.request(op, `malformed ${JSON.stringify(body)}`, { body, status: 400 });
  }

  private contentType(op: FuzzOperation): BadRequest {
    const type = this.pick(CONTENT_TYPES);
    return this.request(op, `content-type ${type}`, { headers: { 'content-type': type }, status: 415 });
  }

  private notObject(op: FuzzOperation): BadRequest {
    const body = this.pick(NOT_OBJECTS);
    return this.request(op, `body ${body}`, { body });
  }

  private wrongType(op: FuzzOperation): BadRequest {
    const [path, kind] = this.pick(Object.entries(op.fields!));
    // JSON merge patch reads null as "remove", which is a valid update.
    const value = this.pick(WRONG_TYPES[kind].filter((candidate) => op.method !== 'PATCH' || candidate !== null));
    return this.request(op, `${path} = ${JSON.stringify(value)}`, { body: JSON.stringify(withValue(op.body!, path, value)) });
  }

  private missing(op: FuzzOperation): BadRequest {
    const path = this.pick(op.required!);
    return this.request(op, `without ${path}`, { body: JSON.stringify(withValue(op.body!, path, undefined)) });
  }

  private invalidValue(op: FuzzOperation): BadRequest {
    const [path, values] = this.pick(Object.entries(op.invalid!));
    const value = this.pick(values);
    return this.request(op, `${path} = ${JSON.stringify(value)}`, { body: JSON.stringify(withValue(op.body!, path, value)) });
  }

  private huge(op: FuzzOperation): BadRequest {
    return this.request(op, '1.1 MB body', { body: JSON.stringify({ ...op.body, displayName: HUGE }), status: 413 });
  }

  private randomBadId(): string {
    const length = 1 + Math.floor(this.random() * 20);
    const chars = Array.from({ length }, () => this.pick([...'abcXYZ019-_', ...ID_BREAKERS]));
    chars.splice(Math.floor(this.random() * (length + 1)), 0, this.pick(ID_BREAKERS));
    return chars.join('');
  }

  private randomText(length: number): string {
    // Header values must stay printable ASCII, or fetch refuses to send them.
    return Array.from({ length }, () => String.fromCharCode(0x20 + Math.floor(this.random() * 0x5f))).join('');
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }
}

/** A deep copy of `body` with the value at a dotted path replaced (undefined removes it). */
function withValue(body: Record<string, unknown>, path: string, value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  const keys = path.split('.');
  let target: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    target[key] ??= {};
    target = target[key] as Record<string, unknown>;
  }
  const last = keys.at(-1)!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}
