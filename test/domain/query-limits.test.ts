import { describe, expect, it } from 'vitest';
import { DomainError } from '../../electron/domain/errors.js';
import { evaluate } from '../../electron/domain/query/evaluate.js';
import { DEFAULT_FILTER_LIMITS } from '../../electron/domain/query/filter-limits.js';
import { parseListFilter } from '../../electron/domain/query/list-filter.js';
import { parseDeviceQuery } from '../../electron/domain/query/parser.js';

const WHERE = 'SELECT * FROM devices WHERE ';
const parenthesized = (condition: string, depth: number) => '('.repeat(depth) + condition + ')'.repeat(depth);
const GENEROUS = { maxFilterLength: 65_536, maxFilterDepth: 1000 };

function refusal(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as Error).message;
  }
  throw new Error('the filter parsed');
}

describe('filter limits of the query parsers', () => {
  it('defaults to 8,192 characters and 32 levels of parentheses', () => {
    expect(DEFAULT_FILTER_LIMITS).toEqual({ maxFilterLength: 8192, maxFilterDepth: 32 });
  });

  it('refuses parentheses deeper than the limit at the first one too many, in both languages', () => {
    expect(refusal(() => parseDeviceQuery(WHERE + parenthesized('$simulated = true', 33)))).toBe(
      'The filter nests parentheses more than 32 deep (at position 61), the most Fleetlab accepts; start it with a larger --max-filter-depth to accept deeper filters.',
    );
    expect(refusal(() => parseListFilter(parenthesized('id eq 1', 33), { id: '$id' }))).toContain('--max-filter-depth');
    expect(parseDeviceQuery(WHERE + parenthesized('$simulated = true', 32)).where).toMatchObject({ kind: 'compare', field: '$simulated' });
  });

  it('refuses a filter 10,000 parentheses deep with the limit, not a stack overflow', () => {
    expect(refusal(() => parseDeviceQuery(WHERE + parenthesized('$simulated = true', 10_000), { ...GENEROUS, maxFilterLength: 30_000 }))).toContain('more than 1000 deep');
  });

  it('refuses a filter longer than the limit before reading it', () => {
    expect(refusal(() => parseDeviceQuery(WHERE + '$id = "' + 'x'.repeat(8200) + '"'))).toContain('longer than the 8192 Fleetlab accepts');
    expect(refusal(() => parseListFilter(`id eq '${'x'.repeat(8200)}'`, { id: '$id' }))).toContain('--max-filter-length');
  });

  it('evaluates the longest OR chain the largest limit admits without deep recursion', () => {
    const terms = [...Array.from({ length: 9000 }, () => 'a=1'), 'a=2'];
    const query = parseDeviceQuery(WHERE + terms.join(' OR '), GENEROUS);
    expect(evaluate(query.where!, () => 2)).toBe(true);
    expect(evaluate(query.where!, () => 3)).toBe(false);
  });
});
