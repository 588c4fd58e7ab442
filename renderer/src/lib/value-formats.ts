/** Help for the job wizard's value editor: DTDL's temporal formats and a starting value for a complex schema. */

type Node = Record<string, unknown>;

/** DTDL's temporal schemas as text: an ISO 8601 example each, and a check of the form the API accepts. */
export const TEMPORAL_FORMATS: Record<string, { example: string; pattern: RegExp; words: string }> = {
  dateTime: { example: '2026-12-01T12:00:00Z', pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, words: 'a date and time' },
  date: { example: '2026-12-01', pattern: /^\d{4}-\d{2}-\d{2}$/, words: 'a date' },
  time: { example: '12:00:00', pattern: /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/, words: 'a time' },
  duration: { example: 'PT1H30M', pattern: /^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/, words: 'a duration' },
};

/** Why `text` is not a value of the temporal schema, in words; undefined when it is one. */
export function temporalProblem(schema: string, text: string): string | undefined {
  const format = TEMPORAL_FORMATS[schema];
  if (!format || format.pattern.test(text.trim())) return undefined;
  const zone = schema === 'dateTime' && format.pattern.test(`${text.trim()}Z`) ? ' with its time zone (Z for UTC)' : '';
  return `Enter ${format.words} in ISO 8601${zone}, e.g. ${format.example}.`;
}

/** A value of the schema with every Object field present, for the user to fill in: numbers 0, texts empty, the first enum value. */
export function skeletonOf(schema: unknown, depth = 0): unknown {
  if (depth > 8) return null;
  if (typeof schema === 'string') {
    if (['double', 'float', 'integer', 'long'].includes(schema)) return 0;
    if (schema === 'boolean') return false;
    if (schema in TEMPORAL_FORMATS) return TEMPORAL_FORMATS[schema]!.example;
    return '';
  }
  if (typeof schema !== 'object' || schema === null) return null;
  const node = schema as Node;
  switch (node['@type']) {
    case 'Object':
      return Object.fromEntries(
        (Array.isArray(node.fields) ? (node.fields as Node[]) : [])
          .filter((field) => typeof field?.name === 'string')
          .map((field) => [field.name as string, skeletonOf(field.schema, depth + 1)]),
      );
    case 'Enum':
      return Array.isArray(node.enumValues) ? ((node.enumValues[0] as Node | undefined)?.enumValue ?? null) : null;
    case 'Array':
      return [];
    case 'Map':
      return {};
    default:
      return null;
  }
}
