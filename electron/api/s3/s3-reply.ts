import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, StorageError } from '../../domain/errors.js';
import { S3Error, type S3ErrorCode } from '../../domain/s3/s3-errors.js';
import { AwsError, type AwsErrorCode } from '../aws/errors.js';
import { xmlDocument } from './s3-xml.js';

/** S3 error codes beyond the domain's, with the HTTP status S3 answers each with. */
const S3_STATUS = {
  NoSuchBucket: 404,
  NoSuchKey: 404,
  BucketAlreadyOwnedByYou: 409,
  BucketNotEmpty: 409,
  InvalidBucketName: 400,
  KeyTooLongError: 400,
  EntityTooLarge: 400,
  InvalidRange: 416,
  InvalidArgument: 400,
  BadDigest: 400,
  XAmzContentSHA256Mismatch: 400,
  IncompleteBody: 400,
  NoSuchUpload: 404,
  EntityTooSmall: 400,
  InvalidPart: 400,
  InvalidPartOrder: 400,
  MalformedXML: 400,
  AccessDenied: 403,
  SignatureDoesNotMatch: 403,
  InvalidAccessKeyId: 403,
  AuthorizationHeaderMalformed: 400,
  AuthorizationQueryParametersError: 400,
  InvalidRequest: 400,
  MethodNotAllowed: 405,
  NotImplemented: 501,
  InternalError: 500,
  ServiceUnavailable: 503,
  InsufficientStorage: 507,
} as const satisfies Record<S3ErrorCode | string, number>;

type S3WireCode = keyof typeof S3_STATUS;

/** An error raised by the S3 API layer itself (authentication, unsupported requests). */
export class S3ApiError extends Error {
  constructor(
    readonly code: S3WireCode,
    message: string,
  ) {
    super(message);
  }
}

/** What the SigV4 verifier's AWS IoT codes are called in S3. */
const FROM_SIGV4: Partial<Record<AwsErrorCode, S3WireCode>> = {
  MissingAuthenticationTokenException: 'AccessDenied',
  IncompleteSignatureException: 'AuthorizationHeaderMalformed',
  UnrecognizedClientException: 'InvalidAccessKeyId',
  InvalidSignatureException: 'SignatureDoesNotMatch',
};

const FROM_DOMAIN: Record<DomainError['kind'], S3WireCode> = {
  NotFound: 'NoSuchKey',
  InvalidInput: 'InvalidArgument',
  Conflict: 'InvalidRequest',
  PreconditionFailed: 'InvalidRequest',
  Forbidden: 'AccessDenied',
  Unauthorized: 'AccessDenied',
  Throttled: 'ServiceUnavailable',
  LimitExceeded: 'InvalidRequest',
  NotImplemented: 'NotImplemented',
};

const FROM_STORAGE = { full: 'InsufficientStorage', unavailable: 'ServiceUnavailable', unwritable: 'InvalidRequest' } as const;

function wireCodeOf(error: unknown, request: FastifyRequest): { code: S3WireCode; message: string } {
  if (error instanceof S3ApiError) return { code: error.code, message: error.message };
  if (error instanceof S3Error) return { code: error.code, message: error.message };
  if (error instanceof DomainError) return { code: FROM_DOMAIN[error.kind], message: error.message };
  if (error instanceof StorageError) return { code: FROM_STORAGE[error.failure], message: error.message };
  if (error instanceof AwsError) return { code: FROM_SIGV4[error.code] ?? 'InvalidRequest', message: error.message };
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.statusCode !== undefined && fastifyError.statusCode < 500) return { code: 'InvalidRequest', message: fastifyError.message ?? 'The request is invalid.' };
  if ((error as NodeJS.ErrnoException)?.code === 'ERR_STREAM_PREMATURE_CLOSE') return { code: 'IncompleteBody', message: 'The request body ended before the length it declared.' };
  request.log.error({ err: error }, 'unhandled error');
  return { code: 'InternalError', message: 'We encountered an internal error. Please try again.' };
}

export function sendXml(reply: FastifyReply, root: string, body: Parameters<typeof xmlDocument>[1]) {
  return reply.header('content-type', 'application/xml').send(xmlDocument(root, body));
}

/** Anything thrown while serving /s3, as S3's XML error (HEAD answers carry no body, as S3's do). */
export function s3ErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { code, message } = wireCodeOf(error, request);
  reply.code(S3_STATUS[code]).header('x-amz-request-id', request.id);
  if (request.method === 'HEAD') return reply.send();
  return reply.header('content-type', 'application/xml').send(xmlDocument('Error', { Code: code, Message: message, RequestId: request.id }, false));
}
