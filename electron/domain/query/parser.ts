import { invalid } from '../errors.js';
import { joined, type Comparison, type Condition, type Literal, type TextFunction } from './condition-tree.js';
import { checkFilterLength, DEFAULT_FILTER_LIMITS, NestingGuard, type FilterLimits } from './filter-limits.js';
import { tokenize, type Token } from './lexer.js';

export interface DeviceQuery {
  /** Absent when the query has no WHERE clause: every device matches. */
  where?: Condition;
}

const FUNCTIONS: Record<string, TextFunction> = { contains: 'contains', startswith: 'startswith', starts_with: 'startswith' };

/**
 * Parses a device group filter: `SELECT * FROM devices [WHERE <condition>]`, conditions joined by AND / OR
 * (AND binds tighter) with parentheses, comparisons `field op literal`, `field IN [literals]`,
 * `contains(field, literal)` and `startswith(field, literal)`. Keywords are case-insensitive. A filter longer or
 * more deeply parenthesized than `limits` is refused before it can exhaust the stack.
 */
export function parseDeviceQuery(source: string, limits: FilterLimits = DEFAULT_FILTER_LIMITS): DeviceQuery {
  checkFilterLength(source, limits);
  return new Parser(tokenize(source), new NestingGuard(limits)).query();
}

class Parser {
  private index = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly nesting: NestingGuard,
  ) {}

  query(): DeviceQuery {
    this.keyword('SELECT');
    this.punct('*');
    this.keyword('FROM');
    this.keyword('DEVICES');
    if (this.peek().kind === 'end') return {};
    this.keyword('WHERE');
    const where = this.or();
    this.expect(this.peek().kind === 'end', 'AND, OR or the end of the filter');
    return { where };
  }

  private or(): Condition {
    const operands = [this.and()];
    while (this.isKeyword('OR')) {
      this.index++;
      operands.push(this.and());
    }
    return joined('or', operands);
  }

  private and(): Condition {
    const operands = [this.primary()];
    while (this.isKeyword('AND')) {
      this.index++;
      operands.push(this.primary());
    }
    return joined('and', operands);
  }

  private primary(): Condition {
    const token = this.peek();
    if (token.kind === 'punct' && token.text === '(') {
      this.nesting.enter(token.position);
      this.index++;
      const inner = this.or();
      this.punct(')');
      this.nesting.leave();
      return inner;
    }
    // hasOwn: `constructor(...)` must not find Object.prototype's member and pass for a function.
    const fn = token.kind === 'word' && Object.hasOwn(FUNCTIONS, token.text.toLowerCase()) ? FUNCTIONS[token.text.toLowerCase()] : undefined;
    if (fn && this.tokens[this.index + 1]?.text === '(') {
      this.index += 2;
      const field = this.field();
      this.punct(',');
      const value = this.literal();
      this.punct(')');
      return { kind: 'call', fn, field, value };
    }
    const field = this.field();
    if (this.isKeyword('IN')) {
      this.index++;
      return { kind: 'in', field, values: this.list() };
    }
    const operator = this.peek();
    this.expect(operator.kind === 'operator', 'a comparison operator (=, !=, <, >, <=, >=) or IN');
    this.index++;
    const normalized = (operator.text === '<>' ? '!=' : operator.text) as Comparison;
    return { kind: 'compare', field, operator: normalized, value: this.literal() };
  }

  private list(): Literal[] {
    const open = this.peek();
    this.expect(open.kind === 'punct' && (open.text === '[' || open.text === '('), '[');
    this.index++;
    const close = open.text === '[' ? ']' : ')';
    const values = [this.literal()];
    while (this.peek().text === ',' && this.peek().kind === 'punct') {
      this.index++;
      values.push(this.literal());
    }
    this.punct(close);
    return values;
  }

  private field(): string {
    const token = this.peek();
    const isName = token.kind === 'system' || (token.kind === 'word' && !RESERVED.has(token.text.toUpperCase()));
    this.expect(isName, 'a device attribute such as $template or a property name');
    this.index++;
    return token.text;
  }

  private literal(): Literal {
    const token = this.peek();
    if (token.kind === 'string') {
      this.index++;
      return token.text;
    }
    if (token.kind === 'number') {
      this.index++;
      return Number(token.text);
    }
    if (token.kind === 'word' && /^(true|false)$/i.test(token.text)) {
      this.index++;
      return token.text.toLowerCase() === 'true';
    }
    return this.fail(token, 'a string, number or boolean value');
  }

  private keyword(word: string): void {
    this.expect(this.isKeyword(word), word);
    this.index++;
  }

  private punct(text: string): void {
    const token = this.peek();
    this.expect(token.kind === 'punct' && token.text === text, `"${text}"`);
    this.index++;
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.text.toUpperCase() === word;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private expect(ok: boolean, expected: string): void {
    if (!ok) this.fail(this.peek(), expected);
  }

  private fail(token: Token, expected: string): never {
    const found = token.kind === 'end' ? 'End of filter' : `Unexpected token "${token.kind === 'string' ? JSON.stringify(token.text).slice(1, -1) : token.text}"`;
    throw invalid(`${found} at position ${token.position}; expected ${expected}.`);
  }
}

const RESERVED = new Set(['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'IN', 'TRUE', 'FALSE']);
