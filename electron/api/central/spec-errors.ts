import type { ErrorObject } from 'ajv';

/** What a validator found wrong, as data: where, which field (e.g. `data[0].type`, '' for the whole body) and what, in words. */
export interface SpecViolation {
  location: 'path' | 'query' | 'body';
  field: string;
  message: string;
}

const FORMAT_WORDS: Record<string, string> = {
  'date-time': 'a date and time such as 2022-05-24T22:29:01Z',
  date: 'a date such as 2022-05-24',
  'date-time-rfc1123': 'an RFC 1123 date such as Tue, 24 May 2022 22:29:01 GMT',
  int32: 'a 32-bit integer',
  int64: 'a 64-bit integer',
  uri: 'an absolute URI',
};

/** The first thing Ajv found wrong, named in words. */
export function firstViolation(location: SpecViolation['location'], errors: ErrorObject[] | null | undefined): SpecViolation {
  // An `if`/`then` failure reports the subtype's own error first, then a summary we do not need.
  const error = errors?.find((candidate) => candidate.keyword !== 'if');
  if (!error) return { location, field: '', message: 'does not match the API specification' };
  const segments = error.instancePath.split('/').slice(1).map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (error.keyword === 'required') segments.push(String(error.params.missingProperty));
  return { location, field: readablePath(segments), message: describe(error) };
}

/** A violation as one sentence for an error message, e.g. `data[0].type: must be one of: property, command`. */
export function violationText({ location, field, message }: SpecViolation): string {
  return field ? `${field}: ${message}` : `The request ${location} ${message}`;
}

function readablePath(segments: string[]): string {
  return segments.reduce((path, segment) => {
    if (/^\d+$/.test(segment)) return `${path}[${segment}]`;
    if (/^[A-Za-z_$][\w$-]*$/.test(segment)) return path ? `${path}.${segment}` : segment;
    return `${path}[${JSON.stringify(segment)}]`;
  }, '');
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'type':
      return `must be ${withArticle(String(params.type))}`;
    case 'enum':
      return `must be one of: ${(params.allowedValues as unknown[]).map((value) => String(value)).join(', ')}`;
    case 'pattern':
      return `must match the pattern ${String(params.pattern)}`;
    case 'format':
      return `must be ${FORMAT_WORDS[String(params.format)] ?? `a valid ${String(params.format)}`}`;
    case 'minLength':
      return params.limit === 1 ? 'must not be empty' : `must be at least ${count(params.limit, 'character')} long`;
    case 'maxLength':
      return `must be at most ${count(params.limit, 'character')} long`;
    case 'minItems':
      return `must have at least ${count(params.limit, 'item')}`;
    case 'maxItems':
      return `must have at most ${count(params.limit, 'item')}`;
    case 'minProperties':
      return `must have at least ${count(params.limit, 'property', 'properties')}`;
    case 'minimum':
    case 'maximum':
      return `must be ${String(params.comparison)} ${String(params.limit)}`.replace('>=', 'at least').replace('<=', 'at most');
    default:
      return error.message ?? 'does not match the API specification';
  }
}

function withArticle(type: string): string {
  const words = type.split(',').map((word) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`));
  return words.join(' or ');
}

function count(limit: unknown, singular: string, plural = `${singular}s`): string {
  return `${String(limit)} ${limit === 1 ? singular : plural}`;
}
