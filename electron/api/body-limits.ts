import type { FastifyRequest } from 'fastify';

/** How much request body the HTTP surfaces accept; `fleetlab serve` sets them with the flags named here. */
export interface BodyLimits {
  /** Largest body on every route but the snapshot import, in KiB (--max-body-kb). */
  maxBodyKb: number;
  /** Largest `PUT /_fleetlab/snapshot` body, in MiB (--max-snapshot-mb). */
  maxSnapshotMb: number;
  /** Deepest nesting of JSON objects and arrays in a body; `{"a":[1]}` nests 2 deep (--max-json-depth). */
  maxJsonDepth: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = { maxBodyKb: 1024, maxSnapshotMb: 256, maxJsonDepth: 64 };

/**
 * A snapshot wraps every stored value in more levels than the request that stored it: a property value sent at
 * depth 2 of `PATCH /properties` sits at depth 7 (data, deviceTwins, device, properties, property, desiredValue).
 * The import accepts that much more, so an exported snapshot always imports again.
 */
const SNAPSHOT_EXTRA_DEPTH = 8;

/** What a route tells the body parsers and error handlers about its own limits. */
export interface BodyPolicy {
  /** The flag that sets this route's body limit, and the unit it counts in. */
  limitFlag: '--max-body-kb' | '--max-snapshot-mb';
  /** Levels of JSON nesting this route accepts beyond --max-json-depth. */
  extraJsonDepth: number;
  /**
   * Keys named `__proto__` or `constructor` are ids here (a snapshot's collections are keyed by ids such as a device
   * group named `__proto__`); the route reads them into Maps, never merging the body into another object.
   */
  prototypeKeysAreData?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    bodyPolicy?: BodyPolicy;
  }
}

export const SNAPSHOT_BODY_POLICY: BodyPolicy = { limitFlag: '--max-snapshot-mb', extraJsonDepth: SNAPSHOT_EXTRA_DEPTH, prototypeKeysAreData: true };
const DEFAULT_POLICY: BodyPolicy = { limitFlag: '--max-body-kb', extraJsonDepth: 0 };

export const kibibytes = (kb: number) => kb * 1024;
export const mebibytes = (mb: number) => mb * 1024 * 1024;

export type BodyRefusalReason = 'TooDeep' | 'TooLarge' | 'UnsupportedMediaType';

/** A request body refused before any handler saw it; each surface answers it in its own error shape. */
export class BodyRefused extends Error {
  constructor(
    readonly reason: BodyRefusalReason,
    message: string,
  ) {
    super(message);
  }
}

export function policyOf(request: FastifyRequest): BodyPolicy {
  return request.routeOptions.config.bodyPolicy ?? DEFAULT_POLICY;
}

export function tooDeep(maxDepth: number): BodyRefused {
  return new BodyRefused(
    'TooDeep',
    `The request body nests JSON objects and arrays more than ${maxDepth} levels deep, the most Fleetlab accepts here; ` +
      `start it with a larger --max-json-depth to accept deeper bodies.`,
  );
}

function tooLarge(request: FastifyRequest): BodyRefused {
  const { limitFlag } = policyOf(request);
  const limit = request.routeOptions.bodyLimit ?? 0;
  const size = limitFlag === '--max-snapshot-mb' ? `${limit / mebibytes(1)} MiB` : `${limit / kibibytes(1)} KiB`;
  return new BodyRefused('TooLarge', `The request body is larger than ${size}, the most Fleetlab accepts here; start it with a larger ${limitFlag} to accept it.`);
}

export function unsupportedMediaType(request: FastifyRequest, accepted: readonly string[] = ['application/json']): BodyRefused {
  const type = request.headers['content-type'];
  const sent = type === undefined ? 'has no content-type' : `is ${JSON.stringify(type)}`;
  return new BodyRefused('UnsupportedMediaType', `Fleetlab reads request bodies as ${accepted.join(' or ')}; this request ${sent}.`);
}

/** The refusal an error stands for, Fastify's own body errors included; undefined for any other error. */
export function bodyRefusalOf(error: unknown, request: FastifyRequest): BodyRefused | undefined {
  if (error instanceof BodyRefused) return error;
  switch ((error as { code?: string }).code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return tooLarge(request);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType(request);
  }
  return undefined;
}
