import type { WireAnswer } from './wire.js';

/** The dialect whose error shape an answer must have. */
export type Dialect = 'central' | 'aws' | 's3';

/**
 * The 5xx answers Fleetlab gives by design (docs/compat.md): a feature it does not emulate is 501 NotImplemented in
 * each dialect. Everything else at or above 500 is a bug.
 */
const NOT_EMULATED: Record<Dialect, string> = { central: 'NotImplemented', aws: 'NotImplementedException', s3: 'NotImplemented' };

const STACK_TRACE = /\n\s+at .+:\d+:\d+|node:internal|\/electron\/.+\.ts/;

/** What is wrong with an answer, for a client of `dialect`; undefined when nothing is. */
export function answerProblem(dialect: Dialect, method: string, answer: WireAnswer): string | undefined {
  if (STACK_TRACE.test(answer.body)) return `the body shows a stack trace or a source path: ${answer.body.slice(0, 300)}`;
  if (answer.status < 400) return undefined;
  const code = errorCodeOf(dialect, method, answer);
  if (typeof code !== 'string') return `status ${answer.status} without the ${dialect} error shape (${code.problem}): ${answer.body.slice(0, 300)}`;
  if (answer.status >= 500 && !(answer.status === 501 && code === NOT_EMULATED[dialect])) return `status ${answer.status} ${code}: ${answer.body.slice(0, 300)}`;
  return undefined;
}

function errorCodeOf(dialect: Dialect, method: string, answer: WireAnswer): string | { problem: string } {
  switch (dialect) {
    case 'central':
      return centralCode(answer);
    case 'aws':
      return awsCode(answer);
    case 's3':
      return s3Code(method, answer);
  }
}

/** IoT Central: `{"error":{"code","message"}}` and the same code in x-ms-error-code. */
function centralCode(answer: WireAnswer): string | { problem: string } {
  const error = parsed(answer.body)?.error as Record<string, unknown> | undefined;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string') return { problem: 'no {error:{code,message}}' };
  if (answer.headers['x-ms-error-code'] !== error.code) return { problem: `x-ms-error-code ${String(answer.headers['x-ms-error-code'])} differs` };
  return error.code;
}

/** AWS REST-JSON: the code in x-amzn-ErrorType (or `__type`), a JSON body with a message. */
function awsCode(answer: WireAnswer): string | { problem: string } {
  const body = parsed(answer.body);
  if (!body) return { problem: 'a body that is not a JSON object' };
  const message = body.message ?? body.Message;
  if (typeof message !== 'string') return { problem: 'no message' };
  const code = answer.headers['x-amzn-errortype'] ?? body.__type;
  if (typeof code !== 'string' || code === '') return { problem: 'no x-amzn-ErrorType or __type' };
  return code.split(':')[0]!;
}

/** S3: `<Error><Code>…</Code><Message>…</Message></Error>`; a HEAD answer has no body, only its status. */
function s3Code(method: string, answer: WireAnswer): string | { problem: string } {
  // A HEAD answer has no body to name its code: a 501 is the not-emulated one, as the same GET shows.
  if (method === 'HEAD') return answer.body !== '' ? { problem: 'a HEAD answer with a body' } : answer.status === 501 ? 'NotImplemented' : `HEAD ${answer.status}`;
  const code = /^(?:<\?xml[^>]*\?>\s*)?<Error>[\s\S]*<Code>([A-Za-z0-9]+)<\/Code>[\s\S]*<Message>[\s\S]*<\/Message>[\s\S]*<\/Error>\s*$/.exec(answer.body)?.[1];
  return code ?? { problem: 'no <Error><Code><Message>' };
}

function parsed(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
