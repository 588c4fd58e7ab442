import { inBackground } from './background';

/** One page of a table's rows and how many rows match the table's filter. */
export interface RowPage<T> {
  matched: number;
  rows: T[];
}

/**
 * The rows of a filtered table, fetched a page at a time around what is on screen, so that a million rows never sit in
 * memory. Every `reset` (a new filter) starts a new generation: a page is fetched once per generation, and an answer
 * for an older generation is dropped, so a slow answer to a stale filter can neither win nor block the new request.
 */
export class PagedRows<T> {
  matched = $state<number>();
  error = $state('');
  private pages = $state.raw(new Map<number, T[]>());
  private generation = 0;
  private readonly inFlight = new Set<string>();

  constructor(
    /** Reads the owner's current filter when called. */
    private readonly load: (offset: number, limit: number) => Promise<RowPage<T>>,
    readonly pageSize = 100,
    private readonly maxCachedPages = 40,
  ) {}

  row(index: number): T | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Makes sure the rows [first, last) are loaded or loading. */
  ensure(first: number, last: number): void {
    for (let page = Math.floor(first / this.pageSize); page * this.pageSize < Math.max(last, 1); page++) {
      if (!this.pages.has(page)) this.fetchInBackground(page);
    }
  }

  /** Forgets every row and count (the filter changed) and loads the first page. */
  reset(): Promise<void> {
    this.generation++;
    this.pages = new Map();
    this.matched = undefined;
    return this.fetch(0);
  }

  /** Reads the cached pages again (the rows changed on the server), keeping them on screen meanwhile. */
  reload(): void {
    for (const page of this.pages.keys()) this.fetchInBackground(page);
    if (this.pages.size === 0) this.fetchInBackground(0);
  }

  /** Replaces the cached rows that `matches`, after the user changed them here. */
  update(matches: (row: T) => boolean, change: (row: T) => T): void {
    const next = new Map(this.pages);
    for (const [page, rows] of next) if (rows.some(matches)) next.set(page, rows.map((row) => (matches(row) ? change(row) : row)));
    this.pages = next;
  }

  private fetchInBackground(page: number): void {
    inBackground(this.fetch(page), `reading rows ${page * this.pageSize}–${(page + 1) * this.pageSize}`);
  }

  private async fetch(page: number): Promise<void> {
    const requested = this.generation;
    const key = `${requested}:${page}`;
    if (this.inFlight.has(key)) return;
    this.inFlight.add(key);
    try {
      const result = await this.load(page * this.pageSize, this.pageSize);
      if (requested !== this.generation) return;
      const next = new Map(this.pages);
      next.set(page, result.rows);
      for (const old of next.keys()) if (next.size > this.maxCachedPages && Math.abs(old - page) > 2) next.delete(old);
      this.pages = next;
      this.matched = result.matched;
      this.error = '';
    } catch (error) {
      if (requested === this.generation) this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.inFlight.delete(key);
    }
  }
}
