/** Builds IoT Central device-group filters (`SELECT * FROM devices WHERE …`) from simple conditions, and reads them back. */

export type FilterOperator = '=' | '!=' | 'contains' | 'startswith';

export interface FilterCondition {
  field: string;
  operator: FilterOperator;
  value: string;
}

export type FilterJoin = 'AND' | 'OR';

export const FILTER_FIELDS = [
  { field: '$template', label: 'Template' },
  { field: '$id', label: 'Device id' },
  { field: '$displayName', label: 'Device name' },
  { field: '$simulated', label: 'Simulated' },
  { field: '$provisioned', label: 'Provisioned' },
  { field: '$enabled', label: 'Enabled' },
] as const;

const OPERATORS: { value: FilterOperator; label: string }[] = [
  { value: '=', label: 'is' },
  { value: '!=', label: 'is not' },
  { value: 'contains', label: 'contains' },
  { value: 'startswith', label: 'starts with' },
];

const BOOLEAN_FIELDS = new Set(['$simulated', '$provisioned', '$enabled']);
const BOOLEAN_OPERATORS: readonly FilterOperator[] = ['=', '!='];
const SELECT_ALL = 'SELECT * FROM devices';

export const isBooleanField = (field: string) => BOOLEAN_FIELDS.has(field);

/** The operators a field supports: a yes/no attribute can only be compared. */
export const operatorsFor = (field: string) => OPERATORS.filter((op) => !isBooleanField(field) || BOOLEAN_OPERATORS.includes(op.value));

/** The condition after its attribute changed to `field`: the operator and value are kept only where the new attribute supports them. */
export function withField(condition: FilterCondition, field: string): FilterCondition {
  const wasBoolean = isBooleanField(condition.field);
  if (isBooleanField(field)) {
    return {
      field,
      operator: BOOLEAN_OPERATORS.includes(condition.operator) ? condition.operator : '=',
      value: wasBoolean ? condition.value : 'true',
    };
  }
  // A template id means nothing as an id or a name, and the other way round.
  const keepsValue = !wasBoolean && (field === '$template') === (condition.field === '$template');
  return { field, operator: condition.operator, value: keepsValue ? condition.value : '' };
}

function literal(field: string, value: string): string {
  if (isBooleanField(field)) return value === 'false' ? 'false' : 'true';
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function buildFilter(conditions: readonly FilterCondition[], join: FilterJoin): string {
  const parts = conditions
    .filter((condition) => condition.field && (condition.value !== '' || isBooleanField(condition.field)))
    .map(({ field, operator, value }) =>
      operator === 'contains' || operator === 'startswith' ? `${operator}(${field}, ${literal(field, value)})` : `${field} ${operator} ${literal(field, value)}`,
    );
  return parts.length === 0 ? SELECT_ALL : `${SELECT_ALL} WHERE ${parts.join(` ${join} `)}`;
}

const FIELD = '(\\$[A-Za-z]+)';
const VALUE = '("(?:[^"\\\\]|\\\\.)*"|true|false)';
const CALL = new RegExp(`^(contains|startswith)\\(\\s*${FIELD}\\s*,\\s*${VALUE}\\s*\\)$`);
const COMPARISON = new RegExp(`^${FIELD}\\s*(=|!=)\\s*${VALUE}$`);
const KNOWN_FIELDS = new Set<string>(FILTER_FIELDS.map((option) => option.field));

function unquote(value: string): string {
  return value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}

function parseCondition(text: string): FilterCondition | undefined {
  const call = CALL.exec(text);
  const comparison = call ? undefined : COMPARISON.exec(text);
  const [field, operator, value] = call ? [call[2]!, call[1] as FilterOperator, call[3]!] : comparison ? [comparison[1]!, comparison[2] as FilterOperator, comparison[3]!] : [];
  if (!field || !operator || value === undefined || !KNOWN_FIELDS.has(field)) return undefined;
  if (isBooleanField(field) !== (value === 'true' || value === 'false')) return undefined;
  if (isBooleanField(field) && !BOOLEAN_OPERATORS.includes(operator)) return undefined;
  return { field, operator, value: unquote(value) };
}

/** The builder's conditions for a filter it could have written; undefined for any other (hand-written) filter. */
export function parseFilter(filter: string): { conditions: FilterCondition[]; join: FilterJoin } | undefined {
  const text = filter.trim();
  if (text === SELECT_ALL) return { conditions: [], join: 'AND' };
  const where = /^SELECT \* FROM devices WHERE (.+)$/s.exec(text)?.[1];
  if (!where) return undefined;
  // Quoted values may hold " AND " themselves: split only outside quotes.
  const parts: string[] = [];
  const joins = new Set<FilterJoin>();
  let quoted = false;
  let start = 0;
  for (let i = 0; i < where.length; i++) {
    const char = where[i];
    if (char === '\\' && quoted) i++;
    else if (char === '"') quoted = !quoted;
    else if (!quoted) {
      const join = /^ (AND|OR) /.exec(where.slice(i, i + 5))?.[1] as FilterJoin | undefined;
      if (join) {
        parts.push(where.slice(start, i));
        joins.add(join);
        start = i + join.length + 2;
        i = start - 1;
      }
    }
  }
  parts.push(where.slice(start));
  if (joins.size > 1) return undefined;
  const conditions = parts.map((part) => parseCondition(part.trim()));
  if (conditions.some((condition) => condition === undefined)) return undefined;
  return { conditions: conditions as FilterCondition[], join: [...joins][0] ?? 'AND' };
}
