/** Domain errors know nothing about HTTP; each API maps them to its own wire format. */
export type DomainErrorKind =
  | 'NotFound'
  | 'InvalidInput'
  | 'Conflict'
  | 'PreconditionFailed'
  | 'Forbidden'
  | 'Unauthorized'
  | 'Throttled'
  /** A quota of the emulated service (AWS IoT's tags per resource, say). */
  | 'LimitExceeded'
  | 'NotImplemented';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
  ) {
    super(message);
    this.name = `${kind}Error`;
  }
}

export const notFound = (what: string, id: string) => new DomainError('NotFound', `${what} "${id}" was not found.`);
export const invalid = (message: string) => new DomainError('InvalidInput', message);
export const conflict = (message: string) => new DomainError('Conflict', message);
export const limitExceeded = (message: string) => new DomainError('LimitExceeded', message);

/** A write the data dir could not take (full, read-only, failing): thrown through the domain as it is. */
export { StorageError } from '../store/storage-error.js';
