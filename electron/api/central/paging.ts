import type { FastifyRequest } from 'fastify';
import { CentralError } from './errors.js';

export const DEFAULT_PAGE_SIZE = 100;
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
  const query = request.query as PagingQuery;
  let size = DEFAULT_PAGE_SIZE;
  if (query.maxpagesize !== undefined) {
    size = Number(query.maxpagesize);
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
      throw new CentralError('BadRequest', `"maxpagesize" must be an integer from 1 to ${MAX_PAGE_SIZE}, got "${query.maxpagesize}".`);
    }
  }
  return { offset: query.$skiptoken === undefined ? 0 : decodeSkipToken(query.$skiptoken), size };
}

/** A page of `total` items fetched with `slice`; nextLink is absolute and keeps the request's other query parameters. */
export function toPage<T>(request: FastifyRequest, page: PageRequest, total: number, slice: (start: number, end: number) => T[]): Page<T> {
  const end = Math.min(total, page.offset + page.size);
  const value = page.offset < total ? slice(page.offset, end) : [];
  if (end >= total) return { value };
  const url = new URL(request.url, `${request.protocol}://${request.headers.host ?? 'localhost'}`);
  url.searchParams.set('$skiptoken', Buffer.from(JSON.stringify({ o: end })).toString('base64url'));
  return { value, nextLink: url.toString() };
}

function decodeSkipToken(token: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const offset = (parsed as { o?: unknown }).o;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // falls through to the error below
  }
  throw new CentralError('BadRequest', 'The $skiptoken is not one this emulator issued.');
}
