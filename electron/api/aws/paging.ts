import { AwsError } from './errors.js';

const DEFAULT_MAX_RESULTS = 100;

export interface PageRequest {
  offset: number;
  limit: number;
}

/** The page a list operation asks for: maxResults (validated by the model) and an opaque nextToken from an earlier page. */
export function pageRequest(input: { maxResults?: number; nextToken?: string }): PageRequest {
  return { offset: input.nextToken === undefined ? 0 : decodeToken(input.nextToken), limit: input.maxResults ?? DEFAULT_MAX_RESULTS };
}

/** The nextToken for the page after [offset, offset + limit), or undefined when nothing follows. */
export function nextTokenAfter(page: PageRequest, more: boolean): string | undefined {
  return more ? Buffer.from(JSON.stringify({ o: page.offset + page.limit })).toString('base64url') : undefined;
}

/** A page of an in-memory list, with its nextToken. */
export function pageOf<T>(items: T[], page: PageRequest): { items: T[]; nextToken?: string } {
  const nextToken = nextTokenAfter(page, page.offset + page.limit < items.length);
  return { items: items.slice(page.offset, page.offset + page.limit), ...(nextToken && { nextToken }) };
}

function decodeToken(token: string): number {
  try {
    const offset = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown }).o;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // falls through to the error below
  }
  throw new AwsError('InvalidRequestException', 'The nextToken is not one this emulator issued.');
}
