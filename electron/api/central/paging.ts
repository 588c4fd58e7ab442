import type { FastifyRequest } from 'fastify';
import { CentralError } from './errors.js';

const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  value: T[];
  nextLink?: string;
}

export interface PageRequest {
  offset: number;
  size: number;
}

interface PagingQuery {
  maxpagesize?: string;
  $skiptoken?: string;
}

/** Reads maxpagesize and the opaque $skiptoken that an earlier nextLink carried. */
export function pageRequest(request: FastifyRequest): PageRequest {
  const { size, token } = readPaging(request);
  return { offset: token?.o ?? 0, size };
}

/** A page of `total` items fetched with `slice`; nextLink is absolute and keeps the request's other query parameters. */
export function toPage<T>(request: FastifyRequest, page: PageRequest, total: number, slice: (start: number, end: number) => T[]): Page<T> {
  const end = Math.min(total, page.offset + page.size);
  const value = page.offset < total ? slice(page.offset, end) : [];
  if (end >= total) return { value };
  return { value, nextLink: nextLinkWith(request, { o: end }) };
}

/**
 * Like toPage, for lists where a new item can land before items a walk has yet to reach (standalone devices list
 * before fleets): the skip token also names the last item returned, and the next page starts right after it.
 */
export function anchoredPage<T>(
  request: FastifyRequest,
  total: number,
  slice: (start: number, end: number) => T[],
  keyOf: (item: T) => string,
  positionOf: (key: string) => number,
): Page<T> {
  const { size, token } = readPaging(request);
  const anchor = token?.k === undefined ? -1 : positionOf(token.k);
  const offset = anchor >= 0 ? anchor + 1 : (token?.o ?? 0);
  const end = Math.min(total, offset + size);
  const value = offset < total ? slice(offset, end) : [];
  if (end >= total || value.length === 0) return { value };
  return { value, nextLink: nextLinkWith(request, { o: end, k: keyOf(value.at(-1)!) }) };
}

/**
 * A page of items listed newest first, as IoT Central lists jobs. The skip token names the creation sequence of
 * the last item returned, so items created during a walk neither repeat nor push earlier items onto later pages.
 */
export function newestFirstPage<T extends { seq: number }, R>(request: FastifyRequest, items: readonly T[], map: (item: T) => R): Page<R> {
  const { size, token } = readPaging(request);
  const before = token?.b ?? Number.POSITIVE_INFINITY;
  const older = items.filter((item) => item.seq < before).sort((a, b) => b.seq - a.seq);
  const value = older.slice(0, size);
  if (older.length <= size) return { value: value.map(map) };
  return { value: value.map(map), nextLink: nextLinkWith(request, { b: value.at(-1)!.seq }) };
}

/**
 * What a skip token carries: an offset (`o`), optionally with the key of the last item returned (`k`); or, for
 * newest-first lists, the sequence to continue below (`b`).
 */
interface SkipToken {
  o?: number;
  k?: string;
  b?: number;
}

function readPaging(request: FastifyRequest): { size: number; token?: SkipToken } {
  const query = request.query as PagingQuery;
  let size = DEFAULT_PAGE_SIZE;
  if (query.maxpagesize !== undefined) {
    size = Number(query.maxpagesize);
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
      throw new CentralError('BadRequest', `"maxpagesize" must be an integer from 1 to ${MAX_PAGE_SIZE}, got "${query.maxpagesize}".`);
    }
  }
  return query.$skiptoken === undefined ? { size } : { size, token: decodeSkipToken(query.$skiptoken) };
}

/**
 * The request's own URL with a new skip token: its scheme and Host (X-Forwarded-Proto / X-Forwarded-Host only with
 * --trust-proxy, as Fastify's trustProxy reads them), and each other query parameter once, as the client spelt it.
 */
function nextLinkWith(request: FastifyRequest, token: SkipToken): string {
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  const query = new URLSearchParams();
  for (const [name, value] of url.searchParams) if (name !== '$skiptoken' && !query.has(name)) query.append(name, value);
  query.set('$skiptoken', Buffer.from(JSON.stringify(token)).toString('base64url'));
  url.search = query.toString();
  return url.toString();
}

function decodeSkipToken(token: string): SkipToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as SkipToken;
    const isCount = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= 0;
    if (isCount(parsed.b) && parsed.o === undefined && parsed.k === undefined) return { b: parsed.b! };
    if (isCount(parsed.o) && parsed.b === undefined && (parsed.k === undefined || typeof parsed.k === 'string')) {
      return { o: parsed.o!, ...(parsed.k !== undefined && { k: parsed.k }) };
    }
  } catch {
    // falls through to the error below
  }
  throw new CentralError('BadRequest', 'The $skiptoken is not one this emulator issued.');
}
