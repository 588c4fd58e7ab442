import { DomainError } from '../errors.js';

/** The registry fields of a thing that a fleet-indexing query can name. */
export interface IndexedThing {
  thingName: string;
  thingId: string;
  thingTypeName?: string;
  thingGroupNames: readonly string[];
  attributes: Readonly<Record<string, string>>;
}

export type ThingPredicate = (thing: IndexedThing) => boolean;

/** A query that does not parse, or names a field Fleetlab does not index (InvalidQueryException). */
export class QueryError extends DomainError {
  constructor(message: string) {
    super('InvalidInput', message);
    this.name = 'QueryError';
  }
}

const MAX_QUERY_LENGTH = 1000;

/**
 * Parses AWS IoT fleet-indexing query syntax over registry fields: `field:value` terms with `*` / `?` wildcards and
 * quoted values, numeric ranges `[a TO b]` / `{a TO b}` (`*` for an open end) and comparisons `field>n` (also `>=`,
 * `<`, `<=`), `AND` / `OR` / `NOT` (adjacent terms are ANDed), and parentheses. Fields: thingName, thingId,
 * thingTypeName, thingGroupNames, attributes.<name>.
 */
export function parseFleetQuery(query: string): ThingPredicate {
  return compileFleetQuery(query).matches;
}

/** A parsed query, and whether it reads a thing's own name or id (then fleet members cannot share one verdict). */
export interface CompiledFleetQuery {
  matches: ThingPredicate;
  readsIdentity: boolean;
}

export function compileFleetQuery(query: string): CompiledFleetQuery {
  if (query.length > MAX_QUERY_LENGTH) throw new QueryError(`The query is longer than ${MAX_QUERY_LENGTH} characters.`);
  const parser = new Parser(tokenize(query));
  const matches = parser.orExpression();
  parser.expectEnd();
  return { matches, readsIdentity: parser.readsIdentity };
}

type Token = { kind: 'word' | 'quoted' | 'symbol'; text: string; at: number };

const SYMBOLS = ['>=', '<=', '(', ')', '[', ']', '{', '}', '>', '<'];

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const char = query[i]!;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    const symbol = SYMBOLS.find((candidate) => query.startsWith(candidate, i));
    if (symbol) {
      tokens.push({ kind: 'symbol', text: symbol, at: i });
      i += symbol.length;
      continue;
    }
    if (char === '"') {
      const end = query.indexOf('"', i + 1);
      if (end < 0) throw new QueryError(`Unterminated quoted value at position ${i}.`);
      tokens.push({ kind: 'quoted', text: query.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const start = i;
    // A quoted value may follow "field:" directly; the word ends there.
    while (i < query.length && !/\s/.test(query[i]!) && !SYMBOLS.some((candidate) => query.startsWith(candidate, i)) && query[i] !== '"') i++;
    tokens.push({ kind: 'word', text: query.slice(start, i), at: start });
  }
  return tokens;
}

class Parser {
  private position = 0;
  readsIdentity = false;

  constructor(private readonly tokens: Token[]) {}

  expectEnd(): void {
    const token = this.peek();
    if (token) throw new QueryError(`Unexpected "${token.text}" at position ${token.at}.`);
  }

  orExpression(): ThingPredicate {
    const parts = [this.andExpression()];
    while (this.takeKeyword('OR')) parts.push(this.andExpression());
    return parts.length === 1 ? parts[0]! : (thing) => parts.some((part) => part(thing));
  }

  private andExpression(): ThingPredicate {
    const parts = [this.notExpression()];
    for (;;) {
      if (this.takeKeyword('AND')) parts.push(this.notExpression());
      else if (this.startsOperand()) parts.push(this.notExpression());
      else break;
    }
    return parts.length === 1 ? parts[0]! : (thing) => parts.every((part) => part(thing));
  }

  private notExpression(): ThingPredicate {
    if (this.takeKeyword('NOT')) {
      const inner = this.notExpression();
      return (thing) => !inner(thing);
    }
    return this.primary();
  }

  private primary(): ThingPredicate {
    const token = this.next('a term');
    if (token.kind === 'symbol' && token.text === '(') {
      const inner = this.orExpression();
      this.expectSymbol(')');
      return inner;
    }
    if (token.kind !== 'word') throw new QueryError(`Expected a term at position ${token.at}, found "${token.text}".`);
    const colon = token.text.indexOf(':');
    if (colon < 0) {
      const comparison = this.peek();
      if (comparison?.kind === 'symbol' && ['>', '>=', '<', '<='].includes(comparison.text)) {
        this.position++;
        return comparisonTerm(this.field(token.text, token.at), comparison.text, this.number(this.next('a number')));
      }
      throw new QueryError(`Expected field:value at position ${token.at}, found "${token.text}".`);
    }
    const field = this.field(token.text.slice(0, colon), token.at);
    const rest = token.text.slice(colon + 1);
    if (rest !== '') return valueTerm(field, rest);
    const value = this.next('a value');
    if (value.kind === 'quoted') return valueTerm(field, value.text, true);
    if (value.kind === 'symbol' && (value.text === '[' || value.text === '{')) return this.range(field, value.text === '[');
    throw new QueryError(`Expected a value for ${token.text} at position ${value.at}.`);
  }

  private field(text: string, at: number): Field {
    const field = fieldOf(text, at);
    if (field.kind === 'thingName' || field.kind === 'thingId') this.readsIdentity = true;
    return field;
  }

  private range(field: Field, lowInclusive: boolean): ThingPredicate {
    const low = this.bound();
    const to = this.next('TO');
    if (to.kind !== 'word' || to.text !== 'TO') throw new QueryError(`Expected TO at position ${to.at}.`);
    const high = this.bound();
    const close = this.next('"]" or "}"');
    if (close.kind !== 'symbol' || (close.text !== ']' && close.text !== '}')) throw new QueryError(`Expected "]" or "}" at position ${close.at}.`);
    const highInclusive = close.text === ']';
    return (thing) => {
      const value = numberAt(field, thing);
      if (value === undefined) return false;
      const aboveLow = low === undefined || (lowInclusive ? value >= low : value > low);
      const belowHigh = high === undefined || (highInclusive ? value <= high : value < high);
      return aboveLow && belowHigh;
    };
  }

  private bound(): number | undefined {
    const token = this.next('a range bound');
    return token.kind === 'word' && token.text === '*' ? undefined : this.number(token);
  }

  private number(token: Token): number {
    const value = Number(token.text);
    if (token.kind !== 'word' || token.text === '' || !Number.isFinite(value)) throw new QueryError(`Expected a number at position ${token.at}, found "${token.text}".`);
    return value;
  }

  private startsOperand(): boolean {
    const token = this.peek();
    if (!token) return false;
    if (token.kind === 'symbol') return token.text === '(';
    return token.kind === 'word' && token.text !== 'OR' && token.text !== 'AND';
  }

  private takeKeyword(keyword: string): boolean {
    const token = this.peek();
    if (token?.kind === 'word' && token.text === keyword) {
      this.position++;
      return true;
    }
    return false;
  }

  private expectSymbol(symbol: string): void {
    const token = this.next(`"${symbol}"`);
    if (token.kind !== 'symbol' || token.text !== symbol) throw new QueryError(`Expected "${symbol}" at position ${token.at}, found "${token.text}".`);
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(what: string): Token {
    const token = this.tokens[this.position++];
    if (!token) throw new QueryError(`The query ends where ${what} was expected.`);
    return token;
  }
}

type Field = { kind: 'thingName' | 'thingId' | 'thingTypeName' | 'thingGroupNames' } | { kind: 'attribute'; name: string };

function fieldOf(text: string, at: number): Field {
  if (text === 'thingName' || text === 'thingId' || text === 'thingTypeName' || text === 'thingGroupNames') return { kind: text };
  if (text.startsWith('attributes.') && text.length > 'attributes.'.length) return { kind: 'attribute', name: text.slice('attributes.'.length) };
  throw new QueryError(`Field "${text}" at position ${at} is not indexed: Fleetlab indexes thingName, thingId, thingTypeName, thingGroupNames and attributes.<name>.`);
}

const NONE: readonly string[] = [];

function valuesOf(field: Field, thing: IndexedThing): readonly string[] {
  if (field.kind === 'thingGroupNames') return thing.thingGroupNames;
  const value = valueOf(field, thing);
  return value === undefined ? NONE : [value];
}

/** The one value of a single-valued field (all but thingGroupNames), without an array per evaluation. */
function valueOf(field: Exclude<Field, { kind: 'thingGroupNames' }>, thing: IndexedThing): string | undefined {
  switch (field.kind) {
    case 'attribute':
      return Object.hasOwn(thing.attributes, field.name) ? thing.attributes[field.name] : undefined;
    case 'thingTypeName':
      return thing.thingTypeName;
    case 'thingName':
      return thing.thingName;
    default:
      return thing.thingId;
  }
}

function valueTerm(field: Field, pattern: string, quoted = false): ThingPredicate {
  let test: (value: string) => boolean = (value) => value === pattern;
  if (!quoted && (pattern.includes('*') || pattern.includes('?'))) {
    const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    const regex = new RegExp(`^${escaped}$`);
    test = (value) => regex.test(value);
  }
  if (field.kind === 'thingGroupNames') return (thing) => thing.thingGroupNames.some(test);
  return (thing) => {
    const value = valueOf(field, thing);
    return value !== undefined && test(value);
  };
}

function numberAt(field: Field, thing: IndexedThing): number | undefined {
  const [text] = valuesOf(field, thing);
  const value = text === undefined || text.trim() === '' ? NaN : Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function comparisonTerm(field: Field, operator: string, limit: number): ThingPredicate {
  return (thing) => {
    const value = numberAt(field, thing);
    if (value === undefined) return false;
    switch (operator) {
      case '>':
        return value > limit;
      case '>=':
        return value >= limit;
      case '<':
        return value < limit;
      default:
        return value <= limit;
    }
  };
}
