import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LocalS3 } from '../../domain/s3/local-s3.js';
import { entityTooLarge, etagOf } from '../../domain/s3/local-s3.js';
import { S3Error } from '../../domain/s3/s3-errors.js';
import { SignatureVerifier, single, splitUrl, type AwsCredentials } from '../aws/sigv4.js';
import { multipartOperation } from './multipart-api.js';
import { payloadPlan, userMetadataOf } from './payload.js';
import { byteRangeOf } from './ranges.js';
import type { PresignedUrls } from './presigned-urls.js';
import { S3ApiError, s3ErrorHandler, sendXml } from './s3-reply.js';
import { xmlTime } from './s3-xml.js';

export interface S3ApiOptions {
  s3: LocalS3;
  credentials: AwsCredentials;
  presigned: PresignedUrls;
  /** Where the plugin is mounted (`/s3`): requests are parsed from their raw path. */
  mount: string;
}

const OWNER = { ID: 'fleetlab', DisplayName: 'fleetlab' };
const MAX_KEYS = 1000;
/** Query parameters of the operations served: the SDKs' `x-id`, presigned URLs' `X-Amz-*`, and ListObjectsV2's own. */
const OBJECT_PARAMETERS = /^(x-id|X-Amz-[A-Za-z0-9-]+)$/;
const LIST_PARAMETERS = /^(x-id|X-Amz-[A-Za-z0-9-]+|list-type|prefix|delimiter|max-keys|continuation-token|start-after|encoding-type|fetch-owner)$/;

/**
 * The local S3, path-style (`<mount>/<bucket>/<key>`): ListBuckets, CreateBucket, HeadBucket, DeleteBucket,
 * ListObjectsV2, PutObject, GetObject (with Range), HeadObject, DeleteObject, presigned GETs, and multipart uploads
 * (multipart-api.ts). Requests are dispatched from the raw path, so that keys with `..`, `//` or encoded slashes
 * reach the store exactly as sent.
 */
export async function s3Api(app: FastifyInstance, options: S3ApiOptions): Promise<void> {
  const { s3 } = options;
  const verifier = new SignatureVerifier(options.credentials, 's3', Date.now, { uriEscapePath: false, payloadCheckedByCaller: true });
  // Bodies stay unread streams: PutObject streams them to disk itself, whatever their type or size.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  app.setErrorHandler(s3ErrorHandler);

  const authenticate = async (request: FastifyRequest) => {
    const rawUrl = request.raw.url ?? request.url;
    if (/[?&]X-Amz-Signature=/.test(rawUrl)) {
      if (request.method !== 'GET' && request.method !== 'HEAD') throw new S3ApiError('AccessDenied', 'Fleetlab presigns GET and HEAD requests only.');
      return options.presigned.verify({ method: request.method, rawUrl, headers: request.headers });
    }
    await verifier.verify({ method: request.method, rawUrl, headers: request.headers, body: Buffer.alloc(0) });
  };

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    await authenticate(request);
    const { bucket, key, query } = locate(request.raw.url ?? request.url, options.mount);
    reply.header('x-amz-request-id', request.id);
    if (bucket === undefined) {
      if (request.method !== 'GET') throw new S3ApiError('MethodNotAllowed', 'The specified method is not allowed against this resource.');
      const buckets = s3.buckets().map((record) => ({ Name: record.name, CreationDate: xmlTime(record.createdAt) }));
      return sendXml(reply, 'ListAllMyBucketsResult', { Owner: OWNER, Buckets: { Bucket: buckets } });
    }
    if (Object.hasOwn(query, 'uploads') || Object.hasOwn(query, 'uploadId')) return multipartOperation(request, reply, s3, { bucket, ...(key !== undefined && { key }), query, mount: options.mount });
    // A subresource (?tagging, ?acl, ?versioning…) is another operation: refused rather than taken for this one.
    const subresource = Object.keys(query).find((name) => !(key === undefined && request.method === 'GET' ? LIST_PARAMETERS : OBJECT_PARAMETERS).test(name));
    if (subresource !== undefined) throw notImplemented(`the ?${subresource} subresource`);
    if (key === undefined) return bucketOperation(request, reply, bucket, query);
    return objectOperation(request, reply, bucket, key);
  };
  // S3 answers XML documents or an object's bytes, which no JSON schema describes further.
  const schema = { response: { default: { type: 'string' } } };
  for (const url of ['/', '/*']) app.route({ method: ['GET', 'HEAD', 'PUT', 'DELETE', 'POST'], url, exposeHeadRoute: false, schema, handler });

  async function bucketOperation(request: FastifyRequest, reply: FastifyReply, bucket: string, query: Record<string, string>) {
    switch (request.method) {
      case 'PUT':
        // The body (a CreateBucketConfiguration) names a region; the local S3 has one.
        request.raw.resume();
        await s3.createBucket(bucket);
        return reply.header('location', `/${bucket}`).send();
      case 'HEAD':
        if (!s3.hasBucket(bucket)) throw new S3Error('NoSuchBucket', 'The specified bucket does not exist.');
        return reply.header('x-amz-bucket-region', 'us-east-1').send();
      case 'DELETE':
        await s3.deleteBucket(bucket);
        return reply.code(204).send();
      case 'GET':
        if (query['list-type'] !== '2') throw notImplemented('ListObjects (version 1) or this bucket subresource; use ListObjectsV2');
        return listObjects(reply, bucket, query);
      default:
        throw new S3ApiError('MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
  }

  function listObjects(reply: FastifyReply, bucket: string, query: Record<string, string>) {
    const maxKeys = query['max-keys'] === undefined ? MAX_KEYS : Number(query['max-keys']);
    if (!Number.isInteger(maxKeys) || maxKeys < 0) throw new S3ApiError('InvalidArgument', 'max-keys must be a whole number from 0.');
    const token = query['continuation-token'];
    const after = token === undefined ? query['start-after'] : decodeToken(token);
    const page = s3.list(bucket, {
      maxKeys: Math.min(maxKeys, MAX_KEYS),
      ...(query.prefix !== undefined && { prefix: query.prefix }),
      ...(query.delimiter !== undefined && query.delimiter !== '' && { delimiter: query.delimiter }),
      ...(after !== undefined && { after }),
    });
    const encode = query['encoding-type'] === 'url' ? (text: string) => encodeURIComponent(text) : (text: string) => text;
    return sendXml(reply, 'ListBucketResult', {
      Name: bucket,
      Prefix: encode(query.prefix ?? ''),
      Delimiter: query.delimiter === undefined ? undefined : encode(query.delimiter),
      MaxKeys: maxKeys,
      EncodingType: query['encoding-type'],
      KeyCount: page.objects.length + page.commonPrefixes.length,
      IsTruncated: page.nextAfter !== undefined,
      ContinuationToken: token,
      NextContinuationToken: page.nextAfter === undefined ? undefined : Buffer.from(page.nextAfter, 'utf8').toString('base64url'),
      StartAfter: query['start-after'] === undefined ? undefined : encode(query['start-after']),
      Contents: page.objects.map((meta) => ({ Key: encode(meta.key), LastModified: xmlTime(meta.lastModified), ETag: etagOf(meta), Size: meta.size, StorageClass: 'STANDARD' })),
      CommonPrefixes: page.commonPrefixes.map((prefix) => ({ Prefix: encode(prefix) })),
    });
  }

  async function objectOperation(request: FastifyRequest, reply: FastifyReply, bucket: string, key: string) {
    switch (request.method) {
      case 'PUT': {
        if (request.headers['x-amz-copy-source'] !== undefined) throw notImplemented('CopyObject');
        const plan = payloadPlan(request.headers);
        if (plan.declaredSize !== undefined && plan.declaredSize > s3.maxObjectBytes) throw entityTooLarge(s3.maxObjectBytes);
        const meta = await s3.put(bucket, key, request.raw, {
          contentType: single(request.headers['content-type']) ?? 'application/octet-stream',
          userMetadata: userMetadataOf(request.headers),
          transforms: plan.transforms,
          verify: plan.verify,
        });
        return reply.header('etag', etagOf(meta)).send();
      }
      case 'GET':
      case 'HEAD': {
        const meta = s3.head(bucket, key);
        reply
          .header('etag', etagOf(meta))
          .header('last-modified', new Date(meta.lastModified).toUTCString())
          .header('content-type', meta.contentType)
          .header('accept-ranges', 'bytes');
        for (const [name, value] of Object.entries(meta.userMetadata)) reply.header(`x-amz-meta-${name}`, value);
        const range = byteRangeOf(single(request.headers.range), meta.size);
        if (range) reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${meta.size}`);
        reply.header('content-length', range ? range.end - range.start + 1 : meta.size);
        if (request.method === 'HEAD') return reply.send();
        if (meta.size === 0) return reply.send('');
        return reply.send(await s3.read(bucket, meta, range));
      }
      case 'DELETE':
        await s3.delete(bucket, key);
        return reply.code(204).send();
      default:
        throw new S3ApiError('MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
  }
}

/** Bucket, key and query of a raw request URL under the mount; the key is decoded once, exactly as S3 does. */
function locate(rawUrl: string, mount: string): { bucket?: string; key?: string; query: Record<string, string> } {
  const [rawPath, queryString] = splitUrl(rawUrl);
  const query = Object.fromEntries(new URLSearchParams(queryString));
  const rest = rawPath.slice(mount.length + 1);
  const slash = rest.indexOf('/');
  const bucketPart = slash < 0 ? rest : rest.slice(0, slash);
  const keyPart = slash < 0 ? '' : rest.slice(slash + 1);
  try {
    return { ...(bucketPart !== '' && { bucket: decodeURIComponent(bucketPart) }), ...(keyPart !== '' && { key: decodeURIComponent(keyPart) }), query };
  } catch {
    throw new S3ApiError('InvalidRequest', 'The request path has an invalid percent-encoding.');
  }
}

function decodeToken(token: string): string {
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  if (decoded === '' || Buffer.from(decoded, 'utf8').toString('base64url') !== token) throw new S3ApiError('InvalidArgument', 'The continuation token provided is incorrect.');
  return decoded;
}

const notImplemented = (what: string) => new S3ApiError('NotImplemented', `Fleetlab's local S3 does not implement ${what}.`);
