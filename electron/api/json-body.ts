import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BodyRefused, policyOf, tooDeep, unsupportedMediaType } from './body-limits.js';

/** The media types whose bodies /api and /_fleetlab read: JSON, and JSON merge patch for IoT Central's PATCH operations. */
const JSON_MEDIA_TYPES = ['application/json', 'application/merge-patch+json'] as const;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Whether JSON text opens more than `maxDepth` objects and arrays at once. One pass over the bytes without recursion,
 * so it is safe on any input; brackets inside strings do not count. JSON.parse itself reads any depth, but a value
 * nested thousands deep overflows the stack of every recursive walk after it (JSON.stringify when the store saves).
 */
function nestsDeeperThan(bytes: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (inString) {
      if (byte === BACKSLASH) index++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > maxDepth) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

type Done = (error: Error | null, body?: unknown) => void;

function depthLimitOf(request: FastifyRequest, maxJsonDepth: number): number {
  return maxJsonDepth + policyOf(request).extraJsonDepth;
}

/**
 * The body policy of /api and /_fleetlab: JSON bodies are checked for nesting and parsed (with Fastify's own
 * prototype-poisoning checks); an empty body of any other type counts as no body; any other body is a 415.
 */
export function installJsonBodies(app: FastifyInstance, maxJsonDepth: number): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  const parse = (request: FastifyRequest, body: Buffer, done: Done) => {
    const limit = depthLimitOf(request, maxJsonDepth);
    if (nestsDeeperThan(body, limit)) return done(tooDeep(limit));
    let text: string;
    try {
      text = body.toString('utf8');
    } catch {
      // Only near 512 MiB: longer than the longest string V8 can hold.
      return done(new BodyRefused('TooLarge', 'The request body is longer than the longest text Node.js can hold (about 512 MiB); send a smaller one.'));
    }
    if (!policyOf(request).prototypeKeysAreData) return parseJson(request, text, done);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(Object.assign(new SyntaxError((error as Error).message), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }));
    }
  };
  for (const type of JSON_MEDIA_TYPES) app.addContentTypeParser(type, { parseAs: 'buffer' }, parse);
  refuseOtherBodies(app, JSON_MEDIA_TYPES);
}

/**
 * The same policy for the AWS dialects, whose SigV4 check needs the exact bytes: a JSON body is checked for nesting
 * and kept raw for the operation to bind; the AWS SDKs send `application/json`, or nothing for bodiless requests.
 */
export function installRawJsonBodies(app: FastifyInstance, maxJsonDepth: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request: FastifyRequest, body: Buffer, done: Done) => {
    const limit = depthLimitOf(request, maxJsonDepth);
    done(nestsDeeperThan(body, limit) ? tooDeep(limit) : null, body);
  });
  refuseOtherBodies(app, ['application/json']);
}

function refuseOtherBodies(app: FastifyInstance, accepted: readonly string[]): void {
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request: FastifyRequest, body: Buffer, done: Done) => {
    if (body.length === 0) return done(null, undefined);
    done(unsupportedMediaType(request, accepted));
  });
}
