/** Builds IoT Central device-group filters (`SELECT * FROM devices WHERE …`) from simple conditions. */

export type FilterOperator = '=' | '!=' | 'contains' | 'startswith';

export interface FilterCondition {
  field: string;
  operator: FilterOperator;
  value: string;
}

export const FILTER_FIELDS = [
  { field: '$template', label: 'Template' },
  { field: '$id', label: 'Device id' },
  { field: '$displayName', label: 'Device name' },
  { field: '$simulated', label: 'Simulated' },
  { field: '$provisioned', label: 'Provisioned' },
  { field: '$enabled', label: 'Enabled' },
] as const;

const BOOLEAN_FIELDS = new Set(['$simulated', '$provisioned', '$enabled']);

export const isBooleanField = (field: string) => BOOLEAN_FIELDS.has(field);

function literal(field: string, value: string): string {
  if (isBooleanField(field)) return value === 'false' ? 'false' : 'true';
  if (/^-?\d+(\.\d+)?$/.test(value) && !field.startsWith('$')) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function buildFilter(conditions: readonly FilterCondition[], join: 'AND' | 'OR'): string {
  const parts = conditions
    .filter((condition) => condition.field && (condition.value !== '' || isBooleanField(condition.field)))
    .map(({ field, operator, value }) =>
      operator === 'contains' || operator === 'startswith' ? `${operator}(${field}, ${literal(field, value)})` : `${field} ${operator} ${literal(field, value)}`,
    );
  return parts.length === 0 ? 'SELECT * FROM devices' : `SELECT * FROM devices WHERE ${parts.join(` ${join} `)}`;
}
