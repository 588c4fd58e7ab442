import { invalid } from '../errors.js';

/** How large a filter the query parsers read; `fleetlab serve` sets them with the flags named here. */
export interface FilterLimits {
  /** Longest filter, in characters (--max-filter-length). */
  maxFilterLength: number;
  /** Deepest nesting of parentheses (--max-filter-depth). */
  maxFilterDepth: number;
}

export const DEFAULT_FILTER_LIMITS: FilterLimits = { maxFilterLength: 8192, maxFilterDepth: 32 };

export function checkFilterLength(source: string, limits: FilterLimits): void {
  if (source.length > limits.maxFilterLength) {
    throw invalid(
      `The filter is ${source.length} characters long, longer than the ${limits.maxFilterLength} Fleetlab accepts; ` +
        `start it with a larger --max-filter-length to accept longer filters.`,
    );
  }
}

/** Counts the parentheses a recursive-descent parser is inside, refusing to go deeper than the limit. */
export class NestingGuard {
  private depth = 0;

  constructor(private readonly limits: FilterLimits) {}

  enter(position: number): void {
    if (++this.depth > this.limits.maxFilterDepth) {
      throw invalid(
        `The filter nests parentheses more than ${this.limits.maxFilterDepth} deep (at position ${position}), the most Fleetlab accepts; ` +
          `start it with a larger --max-filter-depth to accept deeper filters.`,
      );
    }
  }

  leave(): void {
    this.depth--;
  }
}
