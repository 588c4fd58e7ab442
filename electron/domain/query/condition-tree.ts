export type Literal = string | number | boolean;
export type Comparison = '=' | '!=' | '<' | '>' | '<=' | '>=';
export type TextFunction = 'contains' | 'startswith';

/** A field is a system attribute (`$template`) or a property / cloud property name (`component.name`). */
export type Condition =
  | { kind: 'compare'; field: string; operator: Comparison; value: Literal }
  | { kind: 'in'; field: string; values: Literal[] }
  | { kind: 'call'; fn: TextFunction; field: string; value: Literal }
  | { kind: 'and' | 'or'; left: Condition; right: Condition };

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
