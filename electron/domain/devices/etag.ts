import { randomUUID } from 'node:crypto';
import { DomainError } from '../errors.js';

export const newEtag = () => randomUUID();

/** Optimistic concurrency: a write that names an etag must name the current one (`*` matches any). */
export function checkEtag(what: string, current: { id: string; etag: string }, expected: string | undefined): void {
  if (expected !== undefined && expected !== '*' && expected !== current.etag) {
    throw new DomainError('PreconditionFailed', `${what} "${current.id}" was changed since etag "${expected}".`);
  }
}
