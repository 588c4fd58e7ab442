/**
 * Runs writes one after another per key. A write reads a record, checks it and commits a new one; two such writes on
 * the same record must not interleave, or the second would commit over a state it never saw. Writes on different
 * keys still run side by side, so their commits can share one fsync.
 */
export class WriteQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, write: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(write);
    // The tail never rejects (the caller gets the write's own error) and forgets itself once it is the last.
    const settled = (): void => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
    const tail: Promise<void> = result.then(settled, settled);
    this.tails.set(key, tail);
    return result;
  }
}
