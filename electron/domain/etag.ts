import { randomUUID } from 'node:crypto';
import { DomainError } from './errors.js';

/** Every record's etag has one format: a fresh UUID on each write. */
export const newEtag = () => randomUUID();

/** An etag without the quotes (and weak marker) HTTP puts around it in an If-Match header. */
const bare = (etag: string) => etag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');

/**
 * Optimistic concurrency: a write that names etags (an If-Match header, or the body's etag) must name the current one,
 * or `*`. A record without an etag matches only `*`.
 */
export function checkEtag(what: string, current: { id: string; etag?: string }, expected: string | undefined): void {
  if (expected === undefined) return;
  const listed = expected.split(',').map(bare);
  if (listed.includes('*') || (current.etag !== undefined && listed.includes(bare(current.etag)))) return;
  throw new DomainError('PreconditionFailed', `${what} "${current.id}" was changed since etag ${expected}.`);
}
