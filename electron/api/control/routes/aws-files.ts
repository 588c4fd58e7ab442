import type { FastifyInstance } from 'fastify';
import { StoredFile } from '../schema/aws-jobs.js';

/**
 * `PUT /_fleetlab/aws/files/{bucket}/{key}`: the UI's way to put a firmware file into the local S3 (the browser cannot
 * sign SigV4). The body is the file's bytes, streamed to disk; the bucket is created when missing.
 */
export async function awsFileRoutes(app: FastifyInstance): Promise<void> {
  const { services } = app;
  // Any content type: the bytes stay an unread stream for the local S3 to write.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  app.put<{ Params: { bucket: string; key: string }; Reply: StoredFile }>('/aws/files/:bucket/:key', { schema: { response: { 201: StoredFile } } }, async (request, reply) => {
    const { bucket, key } = request.params;
    if (!services.s3.hasBucket(bucket)) await services.s3.createBucket(bucket);
    const contentType = request.headers['content-type'];
    const meta = await services.s3.put(bucket, key, request.raw, { ...(contentType && { contentType }) });
    const url = `https://s3.amazonaws.com/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
    const stored: StoredFile = { bucket, key, size: meta.size, etag: `"${meta.md5}"`, url, placeholder: `\${aws:iot:s3-presigned-url:${url}}` };
    return reply.code(201).send(stored);
  });
}
