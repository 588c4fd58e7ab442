import { DomainError, type DomainErrorKind } from '../errors.js';

/** S3's own error codes the local S3 answers with, and the kind of domain error each is. */
const S3_ERROR_KINDS = {
  NoSuchBucket: 'NotFound',
  NoSuchKey: 'NotFound',
  BucketAlreadyOwnedByYou: 'Conflict',
  BucketNotEmpty: 'Conflict',
  InvalidBucketName: 'InvalidInput',
  KeyTooLongError: 'InvalidInput',
  EntityTooLarge: 'InvalidInput',
  InvalidRange: 'InvalidInput',
  InvalidArgument: 'InvalidInput',
  BadDigest: 'InvalidInput',
  XAmzContentSHA256Mismatch: 'InvalidInput',
  IncompleteBody: 'InvalidInput',
  NoSuchUpload: 'NotFound',
  EntityTooSmall: 'InvalidInput',
  InvalidPart: 'InvalidInput',
  InvalidPartOrder: 'InvalidInput',
  MalformedXML: 'InvalidInput',
  InvalidRequest: 'LimitExceeded',
} as const satisfies Record<string, DomainErrorKind>;

export type S3ErrorCode = keyof typeof S3_ERROR_KINDS;

/** A domain error that names the S3 error code a client expects; other APIs see only its kind. */
export class S3Error extends DomainError {
  constructor(
    readonly code: S3ErrorCode,
    message: string,
  ) {
    super(S3_ERROR_KINDS[code], message);
  }
}
