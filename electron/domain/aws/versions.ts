import { DomainError } from '../errors.js';

/** A stale expectedVersion on a registry update (409 VersionConflictException), in AWS's words. */
export function checkExpectedVersion(what: string, name: string, version: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== version) {
    throw new DomainError('PreconditionFailed', `The version for ${what} ${name} does not match the expected version.`);
  }
}
