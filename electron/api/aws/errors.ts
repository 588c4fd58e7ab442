import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { QueryError } from '../../domain/aws/fleet-query.js';
import { DomainError, StorageError } from '../../domain/errors.js';
import { bodyRefusalOf, type BodyRefusalReason } from '../body-limits.js';
import type { Operation, ServiceModel } from './service-model.js';

/**
 * Every AWS IoT wire error Fleetlab answers: the `x-amzn-ErrorType` value and its HTTP status as the control plane's
 * model gives it (a model that gives another status, as the jobs data plane does for ThrottlingException, wins).
 */
export const AWS_ERRORS = {
  InvalidRequestException: 400,
  IncompleteSignatureException: 400,
  MissingAuthenticationTokenException: 403,
  InvalidSignatureException: 403,
  UnrecognizedClientException: 403,
  UnauthorizedException: 401,
  ResourceNotFoundException: 404,
  ResourceAlreadyExistsException: 409,
  ConflictException: 409,
  InvalidStateTransitionException: 409,
  VersionConflictException: 409,
  InvalidQueryException: 400,
  IndexNotReadyException: 400,
  LimitExceededException: 410,
  PayloadTooLargeException: 413,
  UnsupportedMediaTypeException: 415,
  ThrottlingException: 400,
  TerminalStateException: 410,
  CertificateValidationException: 400,
  CertificateStateException: 406,
  DeleteConflictException: 409,
  InternalFailureException: 500,
  InternalServerException: 500,
  NotImplementedException: 501,
  ServiceUnavailableException: 503,
  InsufficientStorageException: 507,
} as const;

export type AwsErrorCode = keyof typeof AWS_ERRORS;

export class AwsError extends Error {
  constructor(
    readonly code: AwsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const notImplemented = (what: string) =>
  new AwsError('NotImplementedException', `Fleetlab does not emulate ${what} yet.`);

const STORAGE_FAILURES = { full: 'InsufficientStorageException', unavailable: 'ServiceUnavailableException', unwritable: 'InvalidRequestException' } as const;

/** A conflict answers with the first of these codes that the operation's model lists, else InvalidRequestException. */
const CONFLICT_CODES: AwsErrorCode[] = ['ResourceAlreadyExistsException', 'ConflictException', 'InvalidStateTransitionException', 'VersionConflictException'];

function fromDomain(error: DomainError, operation: Operation | undefined): AwsErrorCode {
  if (error instanceof QueryError) return 'InvalidQueryException';
  switch (error.kind) {
    case 'NotFound':
      return 'ResourceNotFoundException';
    // A stale expectedVersion; the jobs data plane's model does not list the code, the service sends it all the same.
    case 'PreconditionFailed':
      return 'VersionConflictException';
    case 'Conflict': {
      const modelled = new Set(operation?.errors?.map((e) => e.shape));
      return CONFLICT_CODES.find((code) => modelled.has(code)) ?? 'InvalidRequestException';
    }
    case 'Throttled':
      return 'ThrottlingException';
    // A quota: LimitExceededException where the operation's model lists it, else the request is refused as invalid.
    case 'LimitExceeded':
      return operation?.errors?.some((e) => e.shape === 'LimitExceededException') ? 'LimitExceededException' : 'InvalidRequestException';
    case 'NotImplemented':
      return 'NotImplementedException';
    case 'Forbidden':
    case 'Unauthorized':
      return 'UnauthorizedException';
    case 'InvalidInput':
      return 'InvalidRequestException';
  }
}

const FROM_BODY_REFUSAL: Record<BodyRefusalReason, AwsErrorCode> = {
  TooDeep: 'InvalidRequestException',
  TooLarge: 'PayloadTooLargeException',
  UnsupportedMediaType: 'UnsupportedMediaTypeException',
};

export function sendAwsError(request: FastifyRequest, reply: FastifyReply, code: AwsErrorCode, message: string, model?: ServiceModel) {
  return reply
    .code(model?.shapes[code]?.error?.httpStatusCode ?? AWS_ERRORS[code])
    .header('x-amzn-errortype', code)
    .header('x-amzn-requestid', request.id)
    .header('content-type', 'application/json')
    .send({ message });
}

/** Maps anything thrown while serving an AWS dialect to the AWS REST-JSON error shape; input never yields a 500. */
export function awsErrorHandler(model: ServiceModel, operationOf: (request: FastifyRequest) => Operation | undefined) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const send = (code: AwsErrorCode, message: string) => sendAwsError(request, reply, code, message, model);
    if (error instanceof AwsError) return send(error.code, error.message);
    if (error instanceof DomainError) return send(fromDomain(error, operationOf(request)), error.message);
    if (error instanceof StorageError) return send(STORAGE_FAILURES[error.failure], error.message);
    const refused = bodyRefusalOf(error, request);
    if (refused) return send(FROM_BODY_REFUSAL[refused.reason], refused.message);
    const fastifyError = error as Partial<FastifyError>;
    if (fastifyError.statusCode !== undefined && fastifyError.statusCode < 500) {
      return send('InvalidRequestException', fastifyError.message ?? 'The request is invalid.');
    }
    request.log.error({ err: error }, 'unhandled error');
    return send('InternalFailureException', 'The emulator failed to process the request.');
  };
}
