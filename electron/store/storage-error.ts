/**
 * A write that could not be made durable. `full`: no space or quota left (HTTP 507); `unavailable`: the data dir is
 * read-only or failing (503); `unwritable`: the value itself cannot be stored (a client error).
 */
export type StorageFailure = 'full' | 'unavailable' | 'unwritable';

export class StorageError extends Error {
  constructor(
    readonly failure: StorageFailure,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

const FULL = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** Wraps a file system error of a write into a StorageError that says what the user can do. */
export function storageErrorOf(error: unknown, what: string): StorageError {
  if (error instanceof StorageError) return error;
  const code = (error as NodeJS.ErrnoException)?.code ?? '';
  if (FULL.has(code)) return new StorageError('full', `Fleetlab's data dir is full (${code}); ${what} was not saved. Free some space and try again.`, error);
  return new StorageError('unavailable', `Fleetlab cannot write its data dir (${code || (error as Error)?.message}); ${what} was not saved.`, error);
}
