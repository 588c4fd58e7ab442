import { invalid } from '../errors.js';

export type TokenKind = 'word' | 'system' | 'string' | 'number' | 'operator' | 'punct' | 'end';

export interface Token {
  kind: TokenKind;
  /** The token as written (for strings: the decoded value). */
  text: string;
  /** 1-based character position in the filter. */
  position: number;
}

const OPERATORS = ['<=', '>=', '!=', '<>', '=', '<', '>'];
const PUNCTUATION = new Set(['(', ')', ',', '*', '[', ']']);
const WORD_START = /[A-Za-z_]/;
// Words run through '.' so that `component.property` reads as one name.
const WORD_PART = /[A-Za-z0-9_.]/;
const DIGIT = /[0-9]/;

/** Splits an IoT Central device query into tokens; the last token is always `end`. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index]!;
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    const position = index + 1;
    if (char === '"' || char === "'") {
      const { value, next } = readString(source, index);
      tokens.push({ kind: 'string', text: value, position });
      index = next;
    } else if (char === '$' || WORD_START.test(char)) {
      let end = index + 1;
      while (end < source.length && WORD_PART.test(source[end]!)) end++;
      tokens.push({ kind: char === '$' ? 'system' : 'word', text: source.slice(index, end), position });
      index = end;
    } else if (DIGIT.test(char) || (char === '-' && DIGIT.test(source[index + 1] ?? ''))) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(index))!;
      tokens.push({ kind: 'number', text: match[0], position });
      index += match[0].length;
    } else {
      const operator = OPERATORS.find((op) => source.startsWith(op, index));
      if (operator) {
        tokens.push({ kind: 'operator', text: operator, position });
        index += operator.length;
      } else if (PUNCTUATION.has(char)) {
        tokens.push({ kind: 'punct', text: char, position });
        index++;
      } else {
        throw invalid(`Unexpected character "${char}" at position ${position}.`);
      }
    }
  }
  tokens.push({ kind: 'end', text: '', position: source.length + 1 });
  return tokens;
}

function readString(source: string, start: number): { value: string; next: number } {
  const quote = source[start]!;
  let value = '';
  for (let index = start + 1; index < source.length; index++) {
    const char = source[index]!;
    if (char === quote) return { value, next: index + 1 };
    if (char === '\\' && index + 1 < source.length) {
      value += source[++index];
    } else {
      value += char;
    }
  }
  throw invalid(`Unterminated string starting at position ${start + 1}.`);
}
