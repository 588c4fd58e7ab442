import { EXAMPLE_TEMPLATE_ID } from './device-examples.js';
import { HOWTO_GROUP } from './job-fixtures.js';

export type JsonKind = 'string' | 'number' | 'boolean' | 'array' | 'object';

/** One /api operation with a request that would succeed; the fuzzer breaks one part of it at a time. */
export interface FuzzOperation {
  operationId: string;
  method: 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';
  /** With `{name}` placeholders, filled from `params`. */
  path: string;
  params?: Record<string, string>;
  body?: Record<string, unknown>;
  /** Dotted paths into `body` and the JSON type each must have. */
  fields?: Record<string, JsonKind>;
  required?: string[];
  /** Values of the right type that the operation must still refuse. */
  invalid?: Record<string, unknown[]>;
  /** Lists accept paging parameters. */
  list?: boolean;
}

/** Ids of the resources fuzz.test.ts creates before fuzzing. */
export const FIXTURE = {
  device: 'fuzz-therm',
  componentDevice: 'fuzz-dev',
  group: HOWTO_GROUP,
  job: 'fuzz-job',
  scheduledJob: 'fuzz-sched',
  organization: 'fuzz-org',
  token: 'fuzz-token',
  operator: 'ae2c9854-393b-4f97-8c42-479d70ce626e',
};

/** Awkward strings (non-ASCII, a bidi override, NUL, a control character, an emoji, a lone surrogate, a blank) that every id, name and reference here must refuse. */
export const UNICODE = ['ünïcødé', '\u202eevil', 'nul\u0000l', 'bell\u0007', '😀', '\ud800', ' '];
export const COMPONENT_TEMPLATE_ID = EXAMPLE_TEMPLATE_ID;
