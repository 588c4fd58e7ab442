import type { Condition } from './parser.js';

/**
 * Conditions joined by one operator, as a balanced tree: `a OR b OR c OR …` of n terms nests log2(n) deep rather
 * than n, so the evaluator's recursion stays shallow however long the filter is. AND and OR are associative (also
 * in three-valued evaluation), so the shape does not change what matches.
 */
export function joined(kind: 'and' | 'or', operands: readonly Condition[]): Condition {
  if (operands.length === 1) return operands[0]!;
  const middle = Math.ceil(operands.length / 2);
  return { kind, left: joined(kind, operands.slice(0, middle)), right: joined(kind, operands.slice(middle)) };
}
