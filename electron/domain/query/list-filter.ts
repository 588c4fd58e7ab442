import { invalid } from '../errors.js';
import { joined, type Comparison, type Condition, type Literal } from './condition-tree.js';
import { checkFilterLength, DEFAULT_FILTER_LIMITS, NestingGuard, type FilterLimits } from './filter-limits.js';
import { tokenize, type Token } from './lexer.js';

const COMPARISONS: Record<string, Comparison> = { eq: '=', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };

/**
 * Parses the OData-like `filter` of IoT Central's preview list operations into the condition the device query
 * evaluator runs: comparisons `field eq|ne|lt|le|gt|ge literal`, `contains(field, 'text')`, `and` (binding tighter)
 * and `or`, and parentheses. `fields` maps each filterable name (matched case-insensitively, as IoT Central's
 * examples write `Enabled`) to the evaluator's field. A filter beyond `limits` is refused, as device group filters are.
 */
export function parseListFilter(source: string, fields: Readonly<Record<string, string>>, limits: FilterLimits = DEFAULT_FILTER_LIMITS): Condition {
  checkFilterLength(source, limits);
  const byName = new Map(Object.entries(fields).map(([name, field]) => [name.toLowerCase(), field]));
  return new ListFilterParser(tokenize(source), byName, Object.keys(fields), new NestingGuard(limits)).parse();
}

class ListFilterParser {
  private index = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly fields: Map<string, string>,
    private readonly names: string[],
    private readonly nesting: NestingGuard,
  ) {}

  parse(): Condition {
    const condition = this.or();
    this.expect(this.peek().kind === 'end', '"and", "or" or the end of the filter');
    return condition;
  }

  private or(): Condition {
    const operands = [this.and()];
    while (this.isWord('or')) {
      this.index++;
      operands.push(this.and());
    }
    return joined('or', operands);
  }

  private and(): Condition {
    const operands = [this.primary()];
    while (this.isWord('and')) {
      this.index++;
      operands.push(this.primary());
    }
    return joined('and', operands);
  }

  private primary(): Condition {
    if (this.isPunct('(')) {
      this.nesting.enter(this.peek().position);
      this.index++;
      const inner = this.or();
      this.punct(')');
      this.nesting.leave();
      return inner;
    }
    if (this.isWord('contains') && this.tokens[this.index + 1]?.text === '(') {
      this.index += 2;
      const field = this.field();
      this.punct(',');
      const value = this.literal();
      this.punct(')');
      return { kind: 'call', fn: 'contains', field, value };
    }
    const field = this.field();
    const operator = this.peek();
    // hasOwn: `displayName constructor 'x'` must not find Object.prototype's member and pass for an operator.
    const comparison = operator.kind === 'word' && Object.hasOwn(COMPARISONS, operator.text.toLowerCase()) ? COMPARISONS[operator.text.toLowerCase()] : undefined;
    if (!comparison) return this.fail(operator, 'a comparison operator (eq, ne, lt, le, gt, ge)');
    this.index++;
    return { kind: 'compare', field, operator: comparison, value: this.literal() };
  }

  private field(): string {
    const token = this.peek();
    const field = token.kind === 'word' ? this.fields.get(token.text.toLowerCase()) : undefined;
    if (!field) return this.fail(token, `a field (${this.names.join(', ')})`);
    this.index++;
    return field;
  }

  private literal(): Literal {
    const token = this.peek();
    this.index++;
    if (token.kind === 'string') return token.text;
    if (token.kind === 'number') return Number(token.text);
    if (token.kind === 'word' && /^(true|false)$/i.test(token.text)) return token.text.toLowerCase() === 'true';
    this.index--;
    return this.fail(token, "a value ('text', a number, true or false)");
  }

  private punct(text: string): void {
    this.expect(this.isPunct(text), `"${text}"`);
    this.index++;
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === text;
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private expect(ok: boolean, expected: string): void {
    if (!ok) this.fail(this.peek(), expected);
  }

  private fail(token: Token, expected: string): never {
    const found = token.kind === 'end' ? 'The filter ends' : `Unexpected "${token.text}"`;
    throw invalid(`${found} at position ${token.position}; expected ${expected}.`);
  }
}
