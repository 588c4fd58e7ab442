import { Type, type Static } from '@sinclair/typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, StorageError, type DomainErrorKind } from '../../domain/errors.js';
import { bodyRefusalOf, type BodyRefusalReason } from '../body-limits.js';
import { ACCEPTED_VERSIONS } from './api-version.js';

/** Every IoT Central wire error: HTTP status and the `error.code` / `x-ms-error-code` value. */
const CENTRAL_ERRORS = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  Conflict: 409,
  PreconditionFailed: 412,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  UnprocessableEntity: 422,
  TooManyRequests: 429,
  InternalServerError: 500,
  NotImplemented: 501,
  ServiceUnavailable: 503,
  InsufficientStorage: 507,
} as const;

export type CentralErrorCode = keyof typeof CENTRAL_ERRORS;

const FROM_DOMAIN: Record<DomainErrorKind, CentralErrorCode> = {
  NotFound: 'NotFound',
  InvalidInput: 'UnprocessableEntity',
  Conflict: 'Conflict',
  PreconditionFailed: 'PreconditionFailed',
  Forbidden: 'Forbidden',
  Unauthorized: 'Unauthorized',
  Throttled: 'TooManyRequests',
  LimitExceeded: 'UnprocessableEntity',
  NotImplemented: 'NotImplemented',
};

/** A full disk is the client's to know about (507), a read-only or failing one is the emulator's (503). */
const STORAGE_FAILURES = { full: 'InsufficientStorage', unavailable: 'ServiceUnavailable', unwritable: 'UnprocessableEntity' } as const;
const FROM_BODY_REFUSAL: Record<BodyRefusalReason, CentralErrorCode> = {
  // Like a body that is not JSON: the service's JSON reader gives up before the spec is looked at.
  TooDeep: 'BadRequest',
  TooLarge: 'PayloadTooLarge',
  UnsupportedMediaType: 'UnsupportedMediaType',
};

/** The error body of /api, /system and /_fleetlab: the spec's Error definition, as every route's `default` response. */
export const CentralErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    requestId: Type.String(),
    time: Type.String({ description: 'RFC 1123' }),
  }),
});

export type CentralErrorBody = Static<typeof CentralErrorBody>;

export class CentralError extends Error {
  constructor(
    readonly code: CentralErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The service's own wording, with a hint when the parameter is absent (docs/compat.md). */
export const invalidApiVersion = (version: string | undefined) =>
  new CentralError(
    'NotFound',
    `"${version ?? ''}" is not a valid API version.${version ? '' : ' The api-version query parameter is required.'} Supported API versions are: ${ACCEPTED_VERSIONS.join(', ')}.`,
  );

export function sendCentralError(request: FastifyRequest, reply: FastifyReply, code: CentralErrorCode, message: string) {
  return reply
    .code(CENTRAL_ERRORS[code])
    .header('x-ms-error-code', code)
    .header('content-type', 'application/json; charset=utf-8')
    .send({ error: { code, message, requestId: request.id, time: new Date().toUTCString() } });
}

/** Maps anything thrown while serving /api to the IoT Central error shape; input never yields a 500. */
export function centralErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof CentralError) return sendCentralError(request, reply, error.code, error.message);
  if (error instanceof DomainError) return sendCentralError(request, reply, FROM_DOMAIN[error.kind], error.message);
  if (error instanceof StorageError) return sendCentralError(request, reply, STORAGE_FAILURES[error.failure], error.message);
  const refused = bodyRefusalOf(error, request);
  if (refused) return sendCentralError(request, reply, FROM_BODY_REFUSAL[refused.reason], refused.message);
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendCentralError(request, reply, 'BadRequest', `The request body is not valid JSON: ${fastifyError.message}`);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return sendCentralError(request, reply, 'BadRequest', 'The Content-Length header does not match the body.');
  }
  if (fastifyError.validation) {
    const code = fastifyError.validationContext === 'body' ? 'UnprocessableEntity' : 'BadRequest';
    return sendCentralError(request, reply, code, fastifyError.message ?? 'The request is invalid.');
  }
  if (fastifyError instanceof SyntaxError || (fastifyError.statusCode !== undefined && fastifyError.statusCode < 500)) {
    return sendCentralError(request, reply, 'BadRequest', fastifyError.message ?? 'The request is invalid.');
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendCentralError(request, reply, 'InternalServerError', 'The emulator failed to process the request.');
}
