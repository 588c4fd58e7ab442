import type { FastifyReply, FastifyRequest } from 'fastify';
import { etagOf, type LocalS3 } from '../../domain/s3/local-s3.js';
import { single } from '../aws/sigv4.js';
import { completedPartsOf } from './complete-request.js';
import { payloadPlan, userMetadataOf } from './payload.js';
import { S3ApiError, sendXml } from './s3-reply.js';
import { xmlTime } from './s3-xml.js';

export interface MultipartRequest {
  bucket: string;
  key?: string;
  query: Record<string, string>;
  /** Where the S3 API is mounted, for the Location of a completed object. */
  mount: string;
}

const OWNER = { ID: 'fleetlab', DisplayName: 'fleetlab' };
const MAX_LISTED = 1000;
/** The query parameters each multipart operation takes besides the SDKs' `x-id` and presigned URLs' `X-Amz-*`. */
const PARAMETERS = {
  create: ['uploads'],
  uploadPart: ['partNumber', 'uploadId'],
  byUploadId: ['uploadId'],
  listParts: ['uploadId', 'max-parts', 'part-number-marker'],
  listUploads: ['uploads', 'prefix', 'delimiter', 'key-marker', 'upload-id-marker', 'max-uploads', 'encoding-type'],
} as const;

/**
 * The multipart operations of the local S3, picked by method and query as S3 does: CreateMultipartUpload
 * (`POST ?uploads`), UploadPart (`PUT ?partNumber&uploadId`), CompleteMultipartUpload (`POST ?uploadId`),
 * AbortMultipartUpload (`DELETE ?uploadId`), ListParts (`GET ?uploadId`) and ListMultipartUploads (`GET /{bucket}?uploads`).
 */
export async function multipartOperation(request: FastifyRequest, reply: FastifyReply, s3: LocalS3, target: MultipartRequest) {
  const { bucket, key, query } = target;
  const uploads = s3.uploads;
  if (key === undefined) {
    if (request.method !== 'GET' || !Object.hasOwn(query, 'uploads')) throw methodNotAllowed();
    checkParameters(query, PARAMETERS.listUploads);
    return listUploads(reply, s3, bucket, query);
  }
  const uploadId = query.uploadId ?? '';
  switch (request.method) {
    case 'POST': {
      if (Object.hasOwn(query, 'uploads')) {
        checkParameters(query, PARAMETERS.create);
        request.raw.resume();
        const upload = await uploads.create(bucket, key, { contentType: single(request.headers['content-type']) ?? 'application/octet-stream', userMetadata: userMetadataOf(request.headers) });
        return sendXml(reply, 'InitiateMultipartUploadResult', { Bucket: bucket, Key: key, UploadId: upload.uploadId });
      }
      checkParameters(query, PARAMETERS.byUploadId);
      const parts = await completedPartsOf(request.raw, payloadPlan(request.headers));
      const meta = await uploads.complete(bucket, key, uploadId, parts);
      const location = `${request.protocol}://${request.headers.host ?? ''}${target.mount}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
      return sendXml(reply, 'CompleteMultipartUploadResult', { Location: location, Bucket: bucket, Key: key, ETag: etagOf(meta) });
    }
    case 'PUT': {
      checkParameters(query, PARAMETERS.uploadPart);
      if (request.headers['x-amz-copy-source'] !== undefined) throw new S3ApiError('NotImplemented', "Fleetlab's local S3 does not implement UploadPartCopy; upload the part's bytes.");
      const plan = payloadPlan(request.headers);
      const partNumber = /^\d{1,5}$/.test(query.partNumber ?? '') ? Number(query.partNumber) : Number.NaN;
      const part = await uploads.uploadPart(bucket, key, uploadId, partNumber, request.raw, plan);
      return reply.header('etag', `"${part.md5}"`).send();
    }
    case 'DELETE':
      checkParameters(query, PARAMETERS.byUploadId);
      await uploads.abort(bucket, key, uploadId);
      return reply.code(204).send();
    case 'GET':
      checkParameters(query, PARAMETERS.listParts);
      return listParts(reply, s3, { bucket, key, uploadId }, query);
    default:
      throw methodNotAllowed();
  }
}

function listParts(reply: FastifyReply, s3: LocalS3, at: { bucket: string; key: string; uploadId: string }, query: Record<string, string>) {
  const maxParts = wholeNumber(query['max-parts'], MAX_LISTED, 'max-parts');
  const after = wholeNumber(query['part-number-marker'], 0, 'part-number-marker');
  const { parts, truncated } = s3.uploads.listParts(at.bucket, at.key, at.uploadId, { after, maxParts: Math.min(maxParts, MAX_LISTED) });
  return sendXml(reply, 'ListPartsResult', {
    Bucket: at.bucket,
    Key: at.key,
    UploadId: at.uploadId,
    PartNumberMarker: after,
    NextPartNumberMarker: parts.at(-1)?.partNumber ?? after,
    MaxParts: maxParts,
    IsTruncated: truncated,
    Part: parts.map((part) => ({ PartNumber: part.partNumber, LastModified: xmlTime(part.lastModified), ETag: `"${part.md5}"`, Size: part.size })),
    Initiator: OWNER,
    Owner: OWNER,
    StorageClass: 'STANDARD',
  });
}

function listUploads(reply: FastifyReply, s3: LocalS3, bucket: string, query: Record<string, string>) {
  const maxUploads = wholeNumber(query['max-uploads'], MAX_LISTED, 'max-uploads');
  const page = s3.uploads.list(bucket, {
    maxUploads: Math.min(maxUploads, MAX_LISTED),
    ...(query.prefix !== undefined && { prefix: query.prefix }),
    ...(query.delimiter !== undefined && query.delimiter !== '' && { delimiter: query.delimiter }),
    ...(query['key-marker'] !== undefined && query['key-marker'] !== '' && { keyMarker: query['key-marker'] }),
    ...(query['upload-id-marker'] !== undefined && query['upload-id-marker'] !== '' && { uploadIdMarker: query['upload-id-marker'] }),
  });
  const encode = query['encoding-type'] === 'url' ? (text: string) => encodeURIComponent(text) : (text: string) => text;
  const optional = (text: string | undefined) => (text === undefined ? undefined : encode(text));
  return sendXml(reply, 'ListMultipartUploadsResult', {
    Bucket: bucket,
    KeyMarker: encode(query['key-marker'] ?? ''),
    UploadIdMarker: query['upload-id-marker'] ?? '',
    NextKeyMarker: optional(page.next?.keyMarker),
    NextUploadIdMarker: page.next?.uploadIdMarker,
    Prefix: optional(query.prefix),
    Delimiter: optional(query.delimiter),
    MaxUploads: maxUploads,
    EncodingType: query['encoding-type'],
    IsTruncated: page.next !== undefined,
    Upload: page.uploads.map((upload) => ({
      Key: encode(upload.key),
      UploadId: upload.uploadId,
      Initiator: OWNER,
      Owner: OWNER,
      StorageClass: 'STANDARD',
      Initiated: xmlTime(upload.initiated),
    })),
    CommonPrefixes: page.commonPrefixes.map((prefix) => ({ Prefix: encode(prefix) })),
  });
}

/** Another subresource or parameter alongside a multipart one is another operation: refused, never guessed. */
function checkParameters(query: Record<string, string>, allowed: readonly string[]): void {
  const other = Object.keys(query).find((name) => !allowed.includes(name) && !/^(x-id|X-Amz-[A-Za-z0-9-]+)$/.test(name));
  if (other !== undefined) throw new S3ApiError('NotImplemented', `Fleetlab's local S3 does not implement the ?${other} parameter of this multipart operation.`);
}

function wholeNumber(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) throw new S3ApiError('InvalidArgument', `${name} must be a whole number from 0.`);
  return value;
}

const methodNotAllowed = () => new S3ApiError('MethodNotAllowed', 'The specified method is not allowed against this resource.');
